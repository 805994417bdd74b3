//! Fan-out: [`DurableContext::map`] and [`DurableContext::parallel`] run branches (one per item, or the
//! given ones), each a child context of one operation of their own, at most so many at a time, until a
//! [`CompletionConfig`] says the batch is done; the outcome of every branch is a [`BatchResult`].
//!
//! The branches run concurrently in the invocation's task. A branch that waits on the service (a wait,
//! a retry delay, a callback) stops there but keeps its slot; when no branch can go on, the invocation
//! suspends, and the next one replays the branches that finished and resumes the others.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use futures_util::stream::{FuturesUnordered, StreamExt};
use serde::{Deserialize, Serialize};

use super::context::{Branch as Running, DurableContext};
use super::ids::operation_id;
use super::protocol::sub_type;
use super::serdes::{JsonSerdes, Serdes};
use crate::error::{Error, kind};

/// When a batch is done: by default when every branch succeeded, or at the first failure (fail fast).
///
/// Failures are tolerated up to a count or a percentage of the branches (either exceeded ends the batch
/// with `FAILURE_TOLERANCE_EXCEEDED`); `min_successful` ends it as soon as that many branches succeeded.
/// Once any criterion is set, a failure alone does not end the batch.
///
/// ```
/// use lambda_fn::durable::CompletionConfig;
///
/// let quorum = CompletionConfig::new().min_successful(2).tolerated_failure_count(1);
/// let best_effort = CompletionConfig::all_completed();
/// # let _ = (quorum, best_effort);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CompletionConfig {
    min_successful: Option<usize>,
    tolerated_failure_count: Option<usize>,
    tolerated_failure_percentage: Option<f64>,
}

impl CompletionConfig {
    /// No criteria: done when every branch ended, or at the first failure.
    pub fn new() -> CompletionConfig {
        CompletionConfig::default()
    }

    /// Every branch must succeed: the first failure ends the batch.
    pub fn all_successful() -> CompletionConfig {
        CompletionConfig::new().tolerated_failure_count(0)
    }

    /// Every branch runs, whatever fails.
    pub fn all_completed() -> CompletionConfig {
        CompletionConfig::new().tolerated_failure_percentage(100.0)
    }

    /// Done at the first success.
    pub fn first_successful() -> CompletionConfig {
        CompletionConfig::new().min_successful(1)
    }

    /// Done as soon as `count` branches succeeded (at least 1, at most the number of branches).
    pub fn min_successful(self, count: usize) -> CompletionConfig {
        CompletionConfig {
            min_successful: Some(count),
            ..self
        }
    }

    /// At most `count` failures; one more ends the batch.
    pub fn tolerated_failure_count(self, count: usize) -> CompletionConfig {
        CompletionConfig {
            tolerated_failure_count: Some(count),
            ..self
        }
    }

    /// At most `percentage` of the branches may fail (0 to 100); more ends the batch.
    pub fn tolerated_failure_percentage(self, percentage: f64) -> CompletionConfig {
        CompletionConfig {
            tolerated_failure_percentage: Some(percentage),
            ..self
        }
    }

    fn check(&self, branches: usize) -> Result<(), String> {
        if let Some(min) = self.min_successful {
            if min < 1 {
                return Err(format!("min_successful must be at least 1, got: {min}"));
            }
            if min > branches {
                return Err(format!(
                    "min_successful cannot be greater than the number of branches: {min} > {branches}"
                ));
            }
        }
        if let Some(percentage) = self.tolerated_failure_percentage
            && !(0.0..=100.0).contains(&percentage)
        {
            return Err(format!(
                "tolerated_failure_percentage must be between 0 and 100, got: {percentage}"
            ));
        }
        Ok(())
    }

    fn tolerance_exceeded(&self, failed: usize, total: usize) -> bool {
        if self == &CompletionConfig::default() {
            return failed > 0;
        }
        let over_count = self.tolerated_failure_count.is_some_and(|count| failed > count);
        let over_percentage = self
            .tolerated_failure_percentage
            .is_some_and(|percentage| total > 0 && failed as f64 * 100.0 / total as f64 > percentage);
        over_count || over_percentage
    }

    fn complete(&self, succeeded: usize, failed: usize, total: usize) -> bool {
        succeeded + failed >= total || self.min_successful.is_some_and(|min| succeeded >= min)
    }
}

/// Whether a branch's operations are grouped under a context of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Nesting {
    /// Each branch is a child context, its result checkpointed: a replay reads it without running the
    /// branch again.
    #[default]
    Nested,
    /// No context per branch (fewer operations in the history): a branch's operations belong to the
    /// batch, and a replay runs the branch again, its operations replaying from their records.
    Flat,
}

/// How a [`map`](DurableContext::map) or a [`parallel`](DurableContext::parallel) runs: at most
/// `max_concurrency` branches at a time (all by default), until its [`CompletionConfig`] says it is done;
/// the result written with `S` and each branch's with `I` (JSON by default).
///
/// ```
/// use lambda_fn::durable::{BatchConfig, CompletionConfig};
///
/// let config = BatchConfig::new().max_concurrency(4).completion(CompletionConfig::all_completed());
/// # let _ = config;
/// ```
#[derive(Debug, Clone, Default)]
pub struct BatchConfig<S = JsonSerdes, I = JsonSerdes> {
    max_concurrency: Option<usize>,
    completion: Option<CompletionConfig>,
    nesting: Nesting,
    serdes: S,
    item_serdes: I,
}

impl BatchConfig {
    /// All branches at once, the default completion (fail fast), nested, JSON.
    pub fn new() -> BatchConfig {
        BatchConfig::default()
    }
}

impl<S, I> BatchConfig<S, I> {
    /// At most `branches` running at a time (at least 1).
    pub fn max_concurrency(self, branches: usize) -> Self {
        BatchConfig {
            max_concurrency: Some(branches),
            ..self
        }
    }

    /// When the batch is done.
    pub fn completion(self, completion: CompletionConfig) -> Self {
        BatchConfig {
            completion: Some(completion),
            ..self
        }
    }

    /// Whether each branch is a context of its own.
    pub fn nesting(self, nesting: Nesting) -> Self {
        BatchConfig { nesting, ..self }
    }

    /// How the whole [`BatchResult`] is written into the history, and read back.
    pub fn serdes<S2>(self, serdes: S2) -> BatchConfig<S2, I> {
        BatchConfig {
            max_concurrency: self.max_concurrency,
            completion: self.completion,
            nesting: self.nesting,
            serdes,
            item_serdes: self.item_serdes,
        }
    }

    /// How each branch's result is written into the history, and read back.
    pub fn item_serdes<I2>(self, item_serdes: I2) -> BatchConfig<S, I2> {
        BatchConfig {
            max_concurrency: self.max_concurrency,
            completion: self.completion,
            nesting: self.nesting,
            serdes: self.serdes,
            item_serdes,
        }
    }
}

/// A branch's recorded result: `T` when the JSON reads as one (`null` does for `()`, `Option` or
/// `Value`), nothing when it is `null` and `T` cannot be `null` (a branch that did not succeed).
fn result_or_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Recorded<T> {
        Result(T),
        Null(()),
    }
    Ok(match Recorded::<T>::deserialize(deserializer)? {
        Recorded::Result(result) => Some(result),
        Recorded::Null(()) => None,
    })
}

/// Why a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CompletionReason {
    /// Every branch that was started ended.
    AllCompleted,
    /// Enough branches succeeded.
    MinSuccessfulReached,
    /// Too many failed.
    FailureToleranceExceeded,
}

/// Where a branch stood when the batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BatchItemStatus {
    /// It returned its result.
    Succeeded,
    /// It failed.
    Failed,
    /// It was still running (or waiting) when the batch ended; it is not resumed.
    Started,
}

/// A branch's error, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchItemError {
    /// Its `errorType`.
    #[serde(rename = "ErrorType")]
    pub error_type: String,
    /// Its message.
    #[serde(rename = "ErrorMessage")]
    pub message: String,
}

/// One branch's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct BatchItem<T> {
    /// Its position among the items or branches.
    pub index: usize,
    /// Where it stood.
    pub status: BatchItemStatus,
    /// Its result, when it succeeded (a result that is itself `null`, such as `()`, included).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "result_or_null"
    )]
    pub result: Option<T>,
    /// Its error, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<BatchItemError>,
}

/// The outcome of a [`map`](DurableContext::map) or a [`parallel`](DurableContext::parallel): each
/// branch that was started, in index order (those the batch never started, having ended before, are
/// not there), and why the batch ended. In the history as
/// `{"all": [{"index", "status", "result" or "error"}], "completionReason"}`.
///
/// A failed branch does not fail the batch: [`into_results`](Self::into_results) turns the first
/// failure into an `Err`, as a workflow that needs every result wants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchResult<T> {
    /// The branches that were started, in index order.
    pub all: Vec<BatchItem<T>>,
    /// Why the batch ended.
    #[serde(rename = "completionReason")]
    pub completion_reason: CompletionReason,
}

impl<T> BatchResult<T> {
    fn count(&self, status: BatchItemStatus) -> usize {
        self.all.iter().filter(|item| item.status == status).count()
    }

    /// How many branches succeeded.
    pub fn success_count(&self) -> usize {
        self.count(BatchItemStatus::Succeeded)
    }

    /// How many failed.
    pub fn failure_count(&self) -> usize {
        self.count(BatchItemStatus::Failed)
    }

    /// How many were still running when the batch ended.
    pub fn started_count(&self) -> usize {
        self.count(BatchItemStatus::Started)
    }

    /// How many were started.
    pub fn total_count(&self) -> usize {
        self.all.len()
    }

    /// Whether any failed.
    pub fn has_failure(&self) -> bool {
        self.failure_count() > 0
    }

    /// `Succeeded` when no branch failed, `Failed` otherwise.
    pub fn status(&self) -> BatchItemStatus {
        if self.has_failure() {
            BatchItemStatus::Failed
        } else {
            BatchItemStatus::Succeeded
        }
    }

    /// The results of the branches that succeeded, in index order.
    pub fn results(&self) -> Vec<&T> {
        self.all
            .iter()
            .filter(|item| item.status == BatchItemStatus::Succeeded)
            .filter_map(|item| item.result.as_ref())
            .collect()
    }

    /// The errors of the branches that failed, in index order.
    pub fn errors(&self) -> Vec<&BatchItemError> {
        self.all.iter().filter_map(|item| item.error.as_ref()).collect()
    }

    /// Every branch's result, in index order, or the first failure as the `Err`.
    pub fn into_results(self) -> Result<Vec<T>, Error> {
        let mut results = Vec::with_capacity(self.all.len());
        for item in self.all {
            match item.status {
                BatchItemStatus::Succeeded => match item.result {
                    Some(result) => results.push(result),
                    None => {
                        return Err(Error::new(
                            kind::DURABLE_SERIALIZATION,
                            format!("branch {} succeeded with no result recorded", item.index),
                        ));
                    }
                },
                BatchItemStatus::Failed => {
                    return Err(match item.error {
                        Some(error) => Error::new(error.error_type, error.message),
                        None => Error::new("Durable.BranchFailed", format!("branch {} failed", item.index)),
                    });
                }
                BatchItemStatus::Started => {
                    return Err(Error::new(
                        "Durable.BranchNotFinished",
                        format!("branch {} was still running when the batch ended", item.index),
                    ));
                }
            }
        }
        Ok(results)
    }
}

/// The work of one branch of a [`parallel`](DurableContext::parallel): a closure of the branch's own
/// context, optionally named.
///
/// ```
/// use lambda_fn::durable::ParallelBranch;
///
/// let check_stock = ParallelBranch::named("stock", |ctx| async move {
///     ctx.step("count", || async { Ok::<_, lambda_fn::Error>(12u32) }).await
/// });
/// # let _ = check_stock;
/// ```
pub struct ParallelBranch<'a, T> {
    name: Option<String>,
    work: BranchWork<'a, T>,
}

/// A branch's work, erased.
type BranchWork<'a, T> = Box<dyn FnOnce(DurableContext) -> Pin<Box<dyn Future<Output = Result<T, Error>> + 'a>> + 'a>;

impl<T> std::fmt::Debug for ParallelBranch<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParallelBranch")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl<'a, T> ParallelBranch<'a, T> {
    /// A branch named `parallel-branch-<index>`.
    pub fn new<F, Fut, E>(work: F) -> ParallelBranch<'a, T>
    where
        F: FnOnce(DurableContext) -> Fut + 'a,
        Fut: Future<Output = Result<T, E>> + 'a,
        E: Into<Error>,
    {
        ParallelBranch {
            name: None,
            work: Box::new(move |ctx| Box::pin(async move { work(ctx).await.map_err(Into::into) })),
        }
    }

    /// A branch with its own name.
    pub fn named<F, Fut, E>(name: impl Into<String>, work: F) -> ParallelBranch<'a, T>
    where
        F: FnOnce(DurableContext) -> Fut + 'a,
        Fut: Future<Output = Result<T, E>> + 'a,
        E: Into<Error>,
    {
        ParallelBranch {
            name: Some(name.into()),
            ..ParallelBranch::new(work)
        }
    }
}

impl DurableContext {
    /// Runs `work` on each of `items`, each in a branch of its own (a child context named
    /// `map-item-<index>`), as `config` says, and returns every branch's outcome. The batch is one
    /// operation: a replay reads its recorded result without running any branch.
    ///
    /// ```
    /// use lambda_fn::durable::{BatchConfig, DurableContext};
    ///
    /// async fn notify(users: Vec<String>, ctx: DurableContext) -> Result<usize, lambda_fn::Error> {
    ///     let config = BatchConfig::new().max_concurrency(10);
    ///     let sent = ctx
    ///         .map("notify", users, config, |ctx, user, _index| async move {
    ///             ctx.step("send", || async move { Ok::<_, lambda_fn::Error>(format!("sent to {user}")) }).await
    ///         })
    ///         .await?;
    ///     Ok(sent.success_count())
    /// }
    /// ```
    pub async fn map<Item, T, S, I, F, Fut, E>(
        &self,
        name: &str,
        items: Vec<Item>,
        config: BatchConfig<S, I>,
        work: F,
    ) -> Result<BatchResult<T>, Error>
    where
        S: Serdes<BatchResult<T>>,
        I: Serdes<T>,
        F: Fn(DurableContext, Item, usize) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: Into<Error>,
    {
        let work = &work;
        let branches = items
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                let run: BranchWork<'_, T> =
                    Box::new(move |ctx| Box::pin(async move { work(ctx, item, index).await.map_err(Into::into) }));
                (format!("map-item-{index}"), run)
            })
            .collect();
        self.batch(name, sub_type::MAP, sub_type::MAP_ITERATION, branches, config)
            .await
    }

    /// Runs each of `branches` in a branch of its own (a child context, `parallel-branch-<index>` unless
    /// named), as `config` says, and returns every branch's outcome. The batch is one operation: a replay
    /// reads its recorded result without running any branch.
    ///
    /// ```
    /// use lambda_fn::durable::{BatchConfig, CompletionConfig, DurableContext, ParallelBranch};
    ///
    /// async fn quote(item: String, ctx: DurableContext) -> Result<u64, lambda_fn::Error> {
    ///     let suppliers = vec![
    ///         ParallelBranch::named("north", |ctx| async move {
    ///             ctx.step("ask", || async { Ok::<_, lambda_fn::Error>(120u64) }).await
    ///         }),
    ///         ParallelBranch::named("south", |ctx| async move {
    ///             ctx.step("ask", || async { Ok::<_, lambda_fn::Error>(110u64) }).await
    ///         }),
    ///     ];
    ///     let config = BatchConfig::new().completion(CompletionConfig::all_completed());
    ///     let quotes = ctx.parallel("quotes", suppliers, config).await?;
    ///     quotes.results().into_iter().copied().min().ok_or_else(|| lambda_fn::Error::new("NoQuote", item))
    /// }
    /// ```
    pub async fn parallel<'a, T, S, I>(
        &self,
        name: &str,
        branches: Vec<ParallelBranch<'a, T>>,
        config: BatchConfig<S, I>,
    ) -> Result<BatchResult<T>, Error>
    where
        S: Serdes<BatchResult<T>>,
        I: Serdes<T>,
    {
        let branches = branches
            .into_iter()
            .enumerate()
            .map(|(index, branch)| {
                let name = branch.name.unwrap_or_else(|| format!("parallel-branch-{index}"));
                (name, branch.work)
            })
            .collect();
        self.batch(name, sub_type::PARALLEL, sub_type::PARALLEL_BRANCH, branches, config)
            .await
    }

    /// The batch: a child context of subtype `kind` whose work runs the branches.
    async fn batch<'a, T, S, I>(
        &self,
        name: &str,
        kind: &'static str,
        branch_kind: &'static str,
        branches: Vec<(String, BranchWork<'a, T>)>,
        config: BatchConfig<S, I>,
    ) -> Result<BatchResult<T>, Error>
    where
        S: Serdes<BatchResult<T>>,
        I: Serdes<T>,
    {
        let BatchConfig {
            max_concurrency,
            completion,
            nesting,
            serdes,
            item_serdes,
        } = config;
        // A configuration that cannot work is the workflow's error, before anything is recorded.
        let invalid = |message: String| Err(Error::new("Durable.InvalidConfiguration", format!("{name}: {message}")));
        let total = branches.len();
        let slots = match max_concurrency {
            Some(0) => return invalid("max_concurrency must be at least 1, got: 0".to_owned()),
            Some(slots) => slots,
            None => total.max(1),
        };
        let completion = completion.unwrap_or_default();
        if let Err(message) = completion.check(total) {
            return invalid(message);
        }
        let item_serdes = &item_serdes;
        self.run_child(name, kind, &serdes, |batch| async move {
            batch
                .run_branches(branch_kind, branches, slots, completion, nesting, item_serdes)
                .await
        })
        .await
    }

    /// Runs the branches, `slots` at a time in index order, until `completion` says the batch is done;
    /// suspends the invocation when none of the running branches can go on.
    async fn run_branches<'a, T, I: Serdes<T>>(
        &self,
        branch_kind: &'static str,
        branches: Vec<(String, BranchWork<'a, T>)>,
        slots: usize,
        completion: CompletionConfig,
        nesting: Nesting,
        item_serdes: &I,
    ) -> Result<BatchResult<T>, Error> {
        let total = branches.len();
        let batch_id: Rc<str> = Rc::from(self.parent.as_deref().unwrap_or(""));
        let mut waiting = branches.into_iter().enumerate();
        let mut running = FuturesUnordered::new();
        // The branches started and not yet ended, with the flag each sets when it suspends.
        let mut flags: Vec<(usize, Rc<Running>)> = Vec::new();
        let mut items: Vec<BatchItem<T>> = Vec::new();
        let (mut succeeded, mut failed) = (0, 0);
        let reason = loop {
            let exceeded = completion.tolerance_exceeded(failed, total);
            if exceeded || completion.complete(succeeded, failed, total) {
                break if exceeded {
                    CompletionReason::FailureToleranceExceeded
                } else if succeeded + failed >= total {
                    CompletionReason::AllCompleted
                } else {
                    CompletionReason::MinSuccessfulReached
                };
            }
            while running.len() < slots {
                let Some((index, (name, work))) = waiting.next() else {
                    break;
                };
                let flag = Rc::new(Running::default());
                flags.push((index, Rc::clone(&flag)));
                let id = operation_id(Some(&batch_id), index as u64);
                let batch_id = Rc::clone(&batch_id);
                let branch = async move {
                    let outcome = match nesting {
                        Nesting::Nested => {
                            let inside =
                                |child: super::child::ChildOf<'_>| child.parent.branch(child.id, child.id, flag);
                            self.run_child_at(id, &name, branch_kind, item_serdes, inside, work)
                                .await
                        }
                        Nesting::Flat => work(self.branch(&id, &batch_id, flag)).await,
                    };
                    (index, outcome)
                };
                running.push(Box::pin(branch) as Pin<Box<dyn Future<Output = (usize, Result<T, Error>)> + '_>>);
            }
            // The next branch to end; or, when every running branch waits on the service, none.
            let next = poll_fn(|cx| match running.poll_next_unpin(cx) {
                Poll::Ready(next) => Poll::Ready(next),
                Poll::Pending if !flags.is_empty() && flags.iter().all(|(_, flag)| flag.suspended.get()) => {
                    Poll::Ready(None)
                }
                Poll::Pending => Poll::Pending,
            })
            .await;
            let Some((index, outcome)) = next else {
                return self.suspend().await;
            };
            match &outcome {
                Ok(_) => succeeded += 1,
                Err(_) => failed += 1,
            }
            flags.retain(|(running, _)| *running != index);
            items.push(item(index, outcome));
        };
        // Branches still running are left as they are; one in the middle of a checkpoint finishes it
        // first, so that the next checkpoint has the token its answer brings (and a branch that ends
        // meanwhile is reported as it ended).
        let mut late = Vec::new();
        poll_fn(|cx| {
            while self.execution.checkpointing() {
                match running.poll_next_unpin(cx) {
                    Poll::Ready(Some(ended)) => late.push(ended),
                    Poll::Ready(None) => break,
                    Poll::Pending if self.execution.checkpointing() => return Poll::Pending,
                    Poll::Pending => break,
                }
            }
            Poll::Ready(())
        })
        .await;
        for (index, outcome) in late {
            flags.retain(|(running, _)| *running != index);
            items.push(item(index, outcome));
        }
        items.extend(flags.iter().map(|(index, _)| BatchItem {
            index: *index,
            status: BatchItemStatus::Started,
            result: None,
            error: None,
        }));
        drop(running);
        items.sort_by_key(|item| item.index);
        Ok(BatchResult {
            all: items,
            completion_reason: reason,
        })
    }
}

/// A branch's outcome as the batch reports it.
fn item<T>(index: usize, outcome: Result<T, Error>) -> BatchItem<T> {
    match outcome {
        Ok(result) => BatchItem {
            index,
            status: BatchItemStatus::Succeeded,
            result: Some(result),
            error: None,
        },
        Err(error) => BatchItem {
            index,
            status: BatchItemStatus::Failed,
            result: None,
            error: Some(BatchItemError {
                error_type: error.error_type().to_owned(),
                message: error.message().to_owned(),
            }),
        },
    }
}
