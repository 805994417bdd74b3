use lambda_fn::handler;

#[handler("unsafe")]
unsafe fn dangerous(_event: u32) {}

#[handler("extern")]
extern "C" fn foreign(_event: u32) {}

#[handler("reserved")]
fn __lambda_rt_call(_event: u32) {}

fn main() {}
