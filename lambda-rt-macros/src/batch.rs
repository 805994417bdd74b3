//! `#[handler("name", batch)]`: the function is called once per record of the event, by the batch loop of
//! `lambda_fn::batch`, which reports the records that failed.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, ItemFn, LitStr};

use crate::args::{Key, Settings, int_literal};
use crate::common::{self, zip};
use crate::deploy::Deploy;
use crate::registration;

pub(crate) const USAGE: &str = "`batch` or `batch(concurrency = 8, margin_ms = 500)`";

/// The settings `batch(...)` takes.
pub(crate) const KEYS: &[Key] = &[
    Key {
        name: "concurrency",
        about: "standard SQS records run at once",
    },
    Key {
        name: "margin_ms",
        about: "records are not started closer to the deadline than this",
    },
];

/// `batch` or `batch(concurrency = N, margin_ms = M)`: a per-record handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Batch {
    concurrency: u64,
    margin_ms: u64,
}

impl Default for Batch {
    fn default() -> Self {
        // Keep in step with lambda_fn's BatchSettings::default.
        Batch {
            concurrency: 1,
            margin_ms: 500,
        }
    }
}

/// `batch(concurrency = N, margin_ms = M)`, each setting optional.
pub(crate) fn settings(settings: &Settings<'_>) -> syn::Result<Batch> {
    let defaults = Batch::default();
    let concurrency = match settings.get("concurrency") {
        None => Ok(defaults.concurrency),
        Some(value) => whole_number(value).and_then(|n| match n {
            0 => Err(syn::Error::new(
                value.span(),
                "`concurrency` is how many standard SQS records run at once: at least 1 (1 runs them one at a time)",
            )),
            n => Ok(n),
        }),
    };
    let margin_ms = settings.get("margin_ms").map_or(Ok(defaults.margin_ms), whole_number);
    let (concurrency, margin_ms) = zip(concurrency, margin_ms)?;
    Ok(Batch { concurrency, margin_ms })
}

fn whole_number(value: &Expr) -> syn::Result<u64> {
    int_literal(value).ok_or_else(|| {
        syn::Error::new(
            value.span(),
            "expected a whole number literal, e.g. `concurrency = 8` or `margin_ms = 500`",
        )
    })
}

/// Expands a `batch` handler: the function unchanged, and a registration whose call runs the batch loop
/// of `lambda_fn::batch`, calling the function once per record (its other parameters extracted for each).
pub(crate) fn expand(name: &LitStr, batch: Batch, item: &ItemFn, deploy: &Deploy) -> TokenStream {
    let site = Span::call_site();
    let fn_ident = &item.sig.ident;
    let inv = format_ident!("inv", span = Span::mixed_site());
    let mut types = common::param_types(item);
    let Some(record_ty) = types.next() else {
        // The handler's checks refuse a function without parameters; keep the function as it is.
        return item.to_token_stream();
    };
    let record_var = format_ident!("__record", span = Span::mixed_site());
    let mut vars = vec![record_var.clone()];
    let (lets, states) = registration::extractors(types, &quote!(#inv), &mut vars);
    let ret_span = common::return_span(item);
    let call = common::respanned_call(fn_ident, &vars, item.sig.asyncness.is_some(), ret_span);
    // The per-record result is checked at the return type; the record type where it is written.
    let record_result = common::private("RecordResult", ret_span);
    let outcome = quote_spanned! {ret_span=>
        #record_result::into_result(#call)
    };
    let run_batch = common::private("run_batch", record_ty.span());
    let run = quote_spanned! {record_ty.span()=>
        #run_batch::<#record_ty, _, _, _>
    };
    // Spanned at the record type, so that a type that is not a record gets its one diagnostic there.
    let boxed = common::private("Box", record_ty.span());
    let record_invocation = common::private("Invocation", record_ty.span());
    let pinned = quote_spanned! {record_ty.span()=>
        #boxed::pin(#run(
            #inv,
            options,
            |#record_var: #record_ty, #inv: &mut #record_invocation| {
                #(#lets)*
                ::core::result::Result::Ok(async move { #outcome })
            },
        ))
    };
    let Batch { concurrency, margin_ms } = batch;
    let concurrency = concurrency as usize;
    let settings = common::private("BatchSettings", site);
    let invocation = common::private("Invocation", site);
    let handler_future = common::private("HandlerFuture", site);
    let call_fn = quote! {
        const __LAMBDA_RT_BATCH: #settings = #settings {
            concurrency: #concurrency,
            margin_ms: #margin_ms,
        };
        fn __lambda_rt_call(
            #inv: #invocation,
        ) -> #handler_future {
            let options = __LAMBDA_RT_BATCH;
            #pinned
        }
    };
    let batch = quote!(::core::option::Option::Some(__LAMBDA_RT_BATCH));
    let checks = deploy.event_checks(record_ty);
    registration::registered(name, item, record_ty, &states, quote!(#call_fn #checks), batch, deploy)
}
