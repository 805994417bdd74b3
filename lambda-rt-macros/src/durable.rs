//! `#[handler("name", durable)]`: a durable workflow. The function takes the execution's input and a
//! `DurableContext`, and returns `Result<T, E>`; the runtime's `durable::run` replays its history and
//! checkpoints it.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, ItemFn, LitStr};

use crate::common::{self, ReturnKind, push};
use crate::deploy::Deploy;
use crate::registration;

const USAGE: &str = "`#[handler(\"orders.flow\", durable)] async fn flow(input: Order, ctx: DurableContext) -> \
                     Result<Receipt, Error>`";

/// Checks the function of a `durable` handler: async, two parameters (the input and the context), a
/// `Result` it returns.
pub(crate) fn check(item: &ItemFn, errors: &mut Option<syn::Error>) {
    if item.sig.asyncness.is_none() {
        push(
            errors,
            syn::Error::new(
                item.sig.fn_token.span(),
                format!("a `durable` workflow is an `async fn`: {USAGE}"),
            ),
        );
    }
    let params = common::param_types(item).count();
    if params != 2 {
        push(
            errors,
            syn::Error::new(
                item.sig.paren_token.span.join(),
                format!(
                    "a `durable` workflow takes two parameters, the execution's input and its `DurableContext`, \
                     in that order (this one takes {params}): {USAGE}"
                ),
            ),
        );
    }
    match (&item.sig.output, common::classify_return(&item.sig.output)) {
        (_, ReturnKind::Result { .. }) => {}
        (syn::ReturnType::Type(_, ty), _) => push(
            errors,
            syn::Error::new_spanned(
                ty,
                format!("a `durable` workflow returns `Result<T, E>`: its result, or why it failed: {USAGE}"),
            ),
        ),
        (syn::ReturnType::Default, _) => push(
            errors,
            syn::Error::new(
                item.sig.ident.span(),
                format!("a `durable` workflow returns `Result<T, E>`: its result, or why it failed: {USAGE}"),
            ),
        ),
    }
}

/// Expands a `durable` handler: the function unchanged, and a registration whose call runs the workflow
/// through `durable::run` (the error converted as a plain handler's is).
pub(crate) fn expand(name: &LitStr, item: &ItemFn, plugins: &[Expr], deploy: &Deploy) -> TokenStream {
    let site = Span::call_site();
    let fn_ident = &item.sig.ident;
    let mut types = common::param_types(item);
    let (Some(input_ty), Some(context_ty)) = (types.next(), types.next()) else {
        // `check` refuses this; keep the function as it is.
        return item.to_token_stream();
    };
    let ReturnKind::Result { ok, err } = common::classify_return(&item.sig.output) else {
        return item.to_token_stream();
    };
    let input = format_ident!("__input", span = Span::mixed_site());
    let context = format_ident!("__context", span = Span::mixed_site());
    let inv = format_ident!("inv", span = Span::mixed_site());
    let ret_span = common::return_span(item);
    let call = common::respanned_call(fn_ident, &[input.clone(), context.clone()], true, ret_span);
    let err_span = err.map_or(ret_span, Spanned::span);
    let err_ty = match err {
        Some(ty) if common::find_impl_trait(ty).is_none() => ty.to_token_stream(),
        _ => quote!(_),
    };
    let conversions = ["FailureElse", "FailureViaBox", "FailureViaInto"].map(|t| common::private(t, err_span));
    let failure = common::private("Failure", err_span);
    let run = common::private("durable_run", input_ty.span());
    // Each plugin boxed by a function whose bound (`Plugin + 'static`) reports a wrong one at its own span.
    let vec = common::private("Vec", site);
    let plugins = if plugins.is_empty() {
        quote!(#vec::new())
    } else {
        let boxed = plugins.iter().map(|plugin| {
            let boxed = common::private("durable_plugin", plugin.span());
            quote_spanned!(plugin.span()=> #boxed(#plugin))
        });
        quote!(#vec::from([#(#boxed),*]))
    };
    // Made by the adapter inside the invocation's future, once per invocation.
    let plugins = quote!(|| #plugins);
    let invocation = common::private("Invocation", site);
    let handler_future = common::private("HandlerFuture", site);
    let items = quote! {
        fn __lambda_rt_call(#inv: #invocation) -> #handler_future {
            #run::<#input_ty, _, _, _, _>(#inv, #plugins, |#input: #input_ty, #context: #context_ty| async move {
                (#call).map_err(|__lambda_rt_error: #err_ty| {
                    #(
                        #[allow(unused_imports)]
                        use #conversions as _;
                    )*
                    (&&#failure::new(__lambda_rt_error)).into_lambda_error()
                })
            })
        }
    };
    let checks = deploy.event_checks(input_ty);
    let registered = registration::registered(
        name,
        item,
        input_ty,
        &[],
        quote!(#items #checks),
        quote!(::core::option::Option::None),
        deploy,
    );
    let target = match ok {
        Some(ok) => registration::call_target(name, item, input_ty, Some(ok)),
        None => TokenStream::new(),
    };
    quote!(#registered #target)
}
