use lambda_fn::handler;

pub struct Service;

impl Service {
    #[handler("service.call")]
    pub async fn call(&self, event: u32) -> u32 {
        event
    }
}

fn main() {}
