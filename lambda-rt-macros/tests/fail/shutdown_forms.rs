use lambda_fn::{State, shutdown};

struct Pool;

#[shutdown(fast)]
fn with_args(_pool: State<Pool>) {}

#[shutdown]
fn not_state(_pool: Pool) {}

#[shutdown]
fn returns_a_value(_pool: State<Pool>) -> u32 {
    1
}

#[shutdown]
struct NotAFunction;

fn main() {}
