//! `lambda_fn::run()` inside an existing tokio runtime says to use `run_async` instead of tokio's
//! generic "cannot start a runtime from within a runtime".

#[tokio::test]
#[should_panic(expected = "use `lambda_fn::run_async().await` there")]
async fn run_inside_a_runtime_points_at_run_async() {
    lambda_fn::run();
}
