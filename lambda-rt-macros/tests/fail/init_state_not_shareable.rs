use std::rc::Rc;

use lambda_fn::init;

#[init]
fn counter() -> Rc<u32> {
    Rc::new(0)
}

fn main() {}
