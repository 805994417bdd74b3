//! `#[handler("name", service)]`: the function builds a tower `Service` (an axum `Router`) once per cold
//! start, and that service answers every HTTP request of the Lambda function.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ItemFn, ReturnType, Type};

use crate::common::{self, ReturnKind, push};
use crate::deploy::Deploy;

const USAGE: &str = "`#[handler(\"app.api\", service)] fn app() -> axum::Router`";

/// Checks the function of a `service` handler: it takes no parameters and returns the service it builds, of a
/// type it names.
pub(crate) fn check(item: &ItemFn, errors: &mut Option<syn::Error>) {
    let params: Vec<_> = item
        .sig
        .inputs
        .iter()
        .filter(|i| matches!(i, syn::FnArg::Typed(_)))
        .collect();
    if let (Some(first), Some(last)) = (params.first(), params.last()) {
        push(
            errors,
            syn::Error::new_spanned(
                quote!(#first #last),
                format!(
                    "a `service` handler takes no parameters: it builds the service once per cold start, and the \
                     service takes the requests: {USAGE}"
                ),
            ),
        );
    }
    if let Err(error) = service_type(item) {
        push(errors, error);
    }
}

/// The service type the function builds, and whether it returns it in a `Result`.
fn service_type(item: &ItemFn) -> syn::Result<(Type, bool)> {
    let (ty, returns_result) = match (&item.sig.output, common::classify_return(&item.sig.output)) {
        (ReturnType::Default, _) | (_, ReturnKind::Unit) => {
            return Err(syn::Error::new(
                item.sig.ident.span(),
                format!("a `service` handler returns the service it builds: {USAGE}"),
            ));
        }
        (ReturnType::Type(_, ty), ReturnKind::Result { ok: None, .. }) => {
            return Err(syn::Error::new_spanned(
                ty,
                "write the service type out: `Result<axum::Router, Error>`",
            ));
        }
        (_, ReturnKind::Result { ok: Some(ok), .. }) => (ok, true),
        (_, ReturnKind::Plain(ty)) => (ty, false),
    };
    match common::find_impl_trait(ty) {
        Some(span) => Err(syn::Error::new(
            span,
            "a `service` handler must name the type of its service (`axum::Router`), which the runtime keeps for the \
             life of the process",
        )),
        None => Ok((ty.clone(), returns_result)),
    }
}

/// The function unchanged; in a `const _`, a state type of its own holding the service, the `#[init]`-like
/// registration that builds it, and the handler registration whose call hands each request to it.
pub(crate) fn expand(name: &syn::LitStr, streaming: bool, item: &ItemFn, deploy: &Deploy) -> TokenStream {
    let Ok((service, returns_result)) = service_type(item) else {
        // `check` refused the function already; keep it as it is.
        return item.to_token_stream();
    };
    let service = &service;
    let deploy = deploy.tokens();
    let site = Span::call_site();
    let fn_ident = &item.sig.ident;
    let ret_span = service.span();
    let await_ = item.sig.asyncness.map(|_| quote_spanned!(ret_span=> .await));
    let mut callee = fn_ident.clone();
    callee.set_span(ret_span);
    let built = if returns_result {
        let init_result = common::private("init_result", ret_span);
        quote_spanned!(ret_span=> #init_result::<__LambdaRtService, _>(#callee() #await_ .map(__LambdaRtService)))
    } else {
        let init_value = common::private("init_value", ret_span);
        quote_spanned!(ret_span=> #init_value::<__LambdaRtService>(__LambdaRtService(#callee() #await_)))
    };
    let serve_service = common::private("serve_service", ret_span);
    let serve = quote_spanned! {ret_span=>
        #serve_service::<__LambdaRtService, #service, _>(inv, |built| built.0.clone(), #streaming)
    };
    let (line, file) = common::source_location(item);
    let cfgs = common::cfg_attrs(item);
    let type_name = common::type_to_string(service);
    // The event type the manifest shows for every HTTP handler, as the runtime's router writes it.
    let event_type = format!("{}::http::Request", common::RUNTIME);
    let init_future = common::private("InitFuture", site);
    let handler_future = common::private("HandlerFuture", site);
    let invocation = common::private("Invocation", site);
    let state_key = common::private("StateKey", site);
    let type_id = common::private("type_id", site);
    let boxed = common::private("Box", site);
    let submit = common::private("inventory::submit", site);
    let init_registration = common::private("InitRegistration", site);
    let handler_registration = common::private("HandlerRegistration", site);
    quote! {
        #item
        #(#cfgs)*
        const _: () = {
            /// The service, built once per cold start; a type of this handler's own, so that two handlers
            /// building the same service type keep their own.
            struct __LambdaRtService(#service);

            fn __lambda_rt_build() -> #init_future {
                #boxed::pin(async move { #built })
            }

            #submit! {
                #init_registration {
                    state_type: #type_name,
                    type_id: #type_id::<__LambdaRtService>,
                    module: ::core::module_path!(),
                    file: #file,
                    line: #line,
                    run: __lambda_rt_build,
                }
            }

            fn __lambda_rt_state() -> ::core::option::Option<#state_key> {
                ::core::option::Option::Some(#state_key::of::<__LambdaRtService>())
            }

            fn __lambda_rt_call(inv: #invocation) -> #handler_future {
                #serve
            }

            #submit! {
                #handler_registration {
                    name: #name,
                    event_type: #event_type,
                    return_type: #type_name,
                    streaming: #streaming,
                    module: ::core::module_path!(),
                    file: #file,
                    line: #line,
                    states: &[__lambda_rt_state],
                    call: __lambda_rt_call,
                    batch: ::core::option::Option::None,
                    deploy: #deploy,
                }
            }
        };
    }
}
