//! The binary of the conformance handlers (deployed as `bootstrap`): `_HANDLER=conformance.<id>` runs
//! requirement `<id>` of AWS's durable execution conformance suite; `conformance serve` serves them all
//! through the embedded emulator, which is how `tests/suite.rs` runs the suite against AWS's local durable
//! execution service.

// The handlers live in the library crate. Naming it links it, and with it their registrations.
use durable_conformance as _;

fn main() {
    lambda_fn::run()
}
