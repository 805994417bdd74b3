//! `#[shutdown]`: a function run when Lambda shuts the execution environment down, with the state it
//! closes or flushes.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{GenericArgument, ItemFn, PathArguments, Type};

use crate::common::{self, Attr, ReturnKind, push};

const USAGE: &str = "`#[shutdown] async fn close(pool: State<Pool>)`";

/// A validated `#[shutdown]` function and the state types of its parameters.
pub(crate) struct Shutdown {
    item: ItemFn,
    states: Vec<Type>,
    returns_result: bool,
}

/// `T` of a `State<T>` parameter type.
fn state_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = common::peel(ty) else {
        return None;
    };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match (last.ident == "State", args.args.first()) {
        (true, Some(GenericArgument::Type(inner))) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Parses and validates `#[shutdown]` and its function.
pub(crate) fn parse(args: TokenStream, item: TokenStream) -> Result<Shutdown, syn::Error> {
    let mut errors = None;
    if !args.is_empty() {
        push(
            &mut errors,
            syn::Error::new_spanned(&args, "#[shutdown] takes no arguments: write `#[shutdown]` alone"),
        );
    }
    let Ok(item) = syn::parse2::<ItemFn>(item.clone()) else {
        push(
            &mut errors,
            common::not_a_function(&item, &format!("#[shutdown] applies to a function: {USAGE}")),
        );
        return Err(errors.unwrap_or_else(|| syn::Error::new(Span::call_site(), USAGE)));
    };
    common::check_signature(Attr::Shutdown, &item.sig, &mut errors);
    let mut states = Vec::new();
    for input in &item.sig.inputs {
        let syn::FnArg::Typed(typed) = input else { continue };
        match state_argument(&typed.ty) {
            Some(state) => states.push(state.clone()),
            None => push(
                &mut errors,
                syn::Error::new_spanned(
                    &typed.ty,
                    format!(
                        "a #[shutdown] function takes only `State<T>` parameters, the state it closes or flushes \
                         (built by an #[init] function): {USAGE}"
                    ),
                ),
            ),
        }
    }
    let returns_result = match common::classify_return(&item.sig.output) {
        ReturnKind::Unit => false,
        ReturnKind::Result { ok: None, .. } => true,
        ReturnKind::Result { ok: Some(ok), .. } if common::is_unit(ok) => true,
        ReturnKind::Result { ok: Some(ok), .. } => {
            push(
                &mut errors,
                syn::Error::new_spanned(
                    ok,
                    "a #[shutdown] function returns nothing or `Result<(), E>`: there is no one to give a value to",
                ),
            );
            false
        }
        ReturnKind::Plain(ty) => {
            push(
                &mut errors,
                syn::Error::new_spanned(
                    ty,
                    "a #[shutdown] function returns nothing or `Result<(), E>`: there is no one to give a value to",
                ),
            );
            false
        }
    };
    match errors {
        Some(errors) => Err(errors),
        None => Ok(Shutdown {
            item,
            states,
            returns_result,
        }),
    }
}

/// The function unchanged, then a registration whose hook runs it when every state it takes was built.
pub(crate) fn expand(shutdown: &Shutdown) -> TokenStream {
    let Shutdown {
        item,
        states,
        returns_result,
    } = shutdown;
    let site = Span::call_site();
    let fn_ident = &item.sig.ident;
    let map = format_ident!("states", span = Span::mixed_site());
    let vars: Vec<_> = (0..states.len())
        .map(|i| format_ident!("__state{}", i, span = Span::mixed_site()))
        .collect();
    let lets = states.iter().zip(&vars).map(|(state, var)| {
        let state_in = common::private("state_in", state.span());
        quote_spanned! {state.span()=>
            let #var = #state_in::<#state>(#map)?;
        }
    });
    let ret_span = common::return_span(item);
    let call = common::respanned_call(fn_ident, &vars, item.sig.asyncness.is_some(), ret_span);
    let outcome = if *returns_result {
        let shutdown_result = common::private("shutdown_result", ret_span);
        quote_spanned!(ret_span=> #shutdown_result(#call))
    } else {
        quote_spanned!(ret_span=> { #call; ::core::result::Result::Ok(()) })
    };
    let (line, file) = common::source_location(item);
    let function = fn_ident.to_string();
    let cfgs = common::cfg_attrs(item);
    let state_map = common::private("StateMap", site);
    let shutdown_future = common::private("ShutdownFuture", site);
    let boxed = common::private("Box", site);
    let submit = common::private("inventory::submit", site);
    let registration = common::private("ShutdownRegistration", site);
    quote! {
        #item
        #(#cfgs)*
        const _: () = {
            fn __lambda_rt_shutdown(
                #map: &'static #state_map,
            ) -> ::core::option::Option<#shutdown_future> {
                #(#lets)*
                ::core::option::Option::Some(#boxed::pin(async move { #outcome }))
            }
            #submit! {
                #registration {
                    function: #function,
                    module: ::core::module_path!(),
                    file: #file,
                    line: #line,
                    run: __lambda_rt_shutdown,
                }
            }
        };
    }
}
