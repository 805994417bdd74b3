//! The `bootstrap` of the example handlers: every handler in this crate's library, one binary.
//!
//! `_HANDLER` picks the handler on Lambda; locally try `cargo run -p examples -- invoke hello.ALB
//! examples/events/alb.json`.

// The handlers live in the library crate. Naming it links it, and with it their registrations.
use examples as _;

fn main() {
    lambda_fn::run()
}
