//! `#[init]`: a function run once per cold start whose value handlers receive as `State<T>`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ItemFn, ReturnType, Type};

use crate::common::{self, Attr, ReturnKind, push};

const NO_RETURN: &str = "an #[init] function returns the state handlers receive as State<T>: add a return type, \
                         e.g. `-> Result<Db, Error>` or `-> Db`";

const UNIT_STATE: &str = "an #[init] function returns the state handlers receive as State<T>, and `()` is no state: \
                          return the value it builds, e.g. `-> Result<Db, Error>` or `-> Db`";

/// A validated `#[init]` function and the type of the state it builds.
pub(crate) struct Init {
    item: ItemFn,
    state: Type,
    returns_result: bool,
}

/// The state type of an `#[init]` function: the success type of a `Result`, or the return type itself.
pub(crate) fn state_type(item: &ItemFn) -> Result<(Type, bool), syn::Error> {
    let ret_ty = match &item.sig.output {
        ReturnType::Default => return Err(syn::Error::new(item.sig.ident.span(), NO_RETURN)),
        ReturnType::Type(_, ty) => ty,
    };
    match common::classify_return(&item.sig.output) {
        ReturnKind::Unit => Err(syn::Error::new_spanned(ret_ty, UNIT_STATE)),
        ReturnKind::Result { ok: None, .. } => Err(syn::Error::new_spanned(
            ret_ty,
            "cannot tell the state type from this `Result`: write the success type out, e.g. `Result<Db, Error>`",
        )),
        ReturnKind::Result { ok: Some(ok), .. } if common::is_unit(ok) => Err(syn::Error::new_spanned(ok, UNIT_STATE)),
        ReturnKind::Result { ok: Some(ok), .. } => Ok((ok.clone(), true)),
        ReturnKind::Plain(ty) => Ok((ty.clone(), false)),
    }
    .and_then(|(state, returns_result)| match common::find_impl_trait(&state) {
        Some(span) => Err(syn::Error::new(
            span,
            "an #[init] function must name the type of its state: handlers receive it as State<ThatType>",
        )),
        None => Ok((state, returns_result)),
    })
}

/// Parses and validates `#[init]` and its function.
pub(crate) fn parse(args: TokenStream, item: TokenStream) -> Result<Init, syn::Error> {
    let mut errors = None;
    if !args.is_empty() {
        push(
            &mut errors,
            syn::Error::new_spanned(
                &args,
                format!("#[init] takes no arguments: write `#[init]` alone instead of `#[init({args})]`"),
            ),
        );
    }
    let parsed = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(item) => {
            common::check_signature(Attr::Init, &item.sig, &mut errors);
            // A `self` receiver has its own error already; report the other parameters.
            let params: Vec<_> = item
                .sig
                .inputs
                .iter()
                .filter(|input| matches!(input, syn::FnArg::Typed(_)))
                .collect();
            if let (Some(first), Some(last)) = (params.first(), params.last()) {
                push(
                    &mut errors,
                    syn::Error::new_spanned(
                        quote!(#first #last),
                        "an #[init] function takes no parameters: it runs once per cold start, before any \
                         invocation; build what it needs inside it (e.g. read settings with `std::env::var`)",
                    ),
                );
            }
            match state_type(&item) {
                Ok((state, returns_result)) => Some(Init {
                    item,
                    state,
                    returns_result,
                }),
                Err(error) => {
                    push(&mut errors, error);
                    None
                }
            }
        }
        Err(_) => {
            push(
                &mut errors,
                common::not_a_function(
                    &item,
                    "#[init] applies to a function that builds the shared state handlers receive as State<T>: \
                     `#[init] async fn make_db() -> Result<Db, Error>`",
                ),
            );
            None
        }
    };
    match (errors, parsed) {
        (None, Some(init)) => Ok(init),
        (Some(errors), _) => Err(errors),
        (None, None) => Err(syn::Error::new(Span::call_site(), "expected `#[init]` on a function")),
    }
}

/// Expands a validated `#[init]`: the function unchanged, then the glue and the registration in a `const _`.
pub(crate) fn expand(init: &Init) -> TokenStream {
    let Init {
        item,
        state,
        returns_result,
    } = init;
    let site = Span::call_site();
    let fn_ident = &item.sig.ident;
    let ret_span = common::return_span(item);
    // The call is located at the return type, where a state type that cannot be shared is reported.
    let await_ = item.sig.asyncness.map(|_| quote_spanned!(ret_span=> .await));
    let mut callee = fn_ident.clone();
    callee.set_span(ret_span);
    let call = quote_spanned!(ret_span=> #callee() #await_);
    // Naming the state type in a turbofish puts a "not `Send`/`Sync`" error on that type itself.
    let body = if *returns_result {
        let init_result = common::private("init_result", ret_span);
        quote_spanned!(ret_span=> #init_result::<#state, _>(#call))
    } else {
        let init_value = common::private("init_value", ret_span);
        quote_spanned!(ret_span=> #init_value::<#state>(#call))
    };
    let type_id = common::private("type_id", state.span());
    let type_id = quote_spanned!(state.span()=> #type_id::<#state>);
    let (line, file) = common::source_location(item);
    let cfgs = common::cfg_attrs(item);
    let state_name = common::type_to_string(state);
    let init_future = common::private("InitFuture", site);
    let boxed = common::private("Box", site);
    let submit = common::private("inventory::submit", site);
    let registration = common::private("InitRegistration", site);
    quote! {
        #item
        #(#cfgs)*
        const _: () = {
            fn __lambda_rt_init() -> #init_future {
                #boxed::pin(async move { #body })
            }
            #submit! {
                #registration {
                    state_type: #state_name,
                    type_id: #type_id,
                    module: ::core::module_path!(),
                    file: #file,
                    line: #line,
                    run: __lambda_rt_init,
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn tokens(source: &str) -> TokenStream {
        source.parse().unwrap_or_else(|e| panic!("{source}: {e}"))
    }

    fn state_of(item: &str) -> Result<(String, bool), String> {
        let item: ItemFn = syn::parse_str(item).unwrap_or_else(|e| panic!("{item}: {e}"));
        state_type(&item)
            .map(|(ty, r)| (ty.to_token_stream().to_string(), r))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn state_types() {
        assert_eq!(
            state_of("async fn f() -> Result<Db, Error> {}"),
            Ok(("Db".into(), true))
        );
        assert_eq!(
            state_of("fn f() -> lambda_fn::Result<Pool<Pg>> {}"),
            Ok(("Pool < Pg >".into(), true))
        );
        assert_eq!(state_of("fn f() -> Db {}"), Ok(("Db".into(), false)));
        assert_eq!(
            state_of("fn f() -> Arc<Client> {}"),
            Ok(("Arc < Client >".into(), false))
        );
        assert!(state_of("fn f() {}").is_err_and(|e| e.contains("add a return type")));
        assert!(state_of("fn f() -> () {}").is_err_and(|e| e.contains("`()` is no state")));
        assert!(state_of("fn f() -> Result<(), E> {}").is_err_and(|e| e.contains("`()` is no state")));
        assert!(state_of("fn f() -> Result {}").is_err_and(|e| e.contains("Result<Db, Error>")));
        assert!(state_of("fn f() -> impl Client {}").is_err_and(|e| e.contains("must name the type")));
        assert!(state_of("fn f() -> Result<Box<impl Client>, E> {}").is_err_and(|e| e.contains("must name the type")));
    }

    fn errors(args: &str, item: &str) -> String {
        match parse(tokens(args), tokens(item)) {
            Ok(_) => panic!("accepted {item}"),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"),
        }
    }

    #[test]
    fn rejects() {
        assert!(errors("x", "fn f() -> Db {}").contains("#[init] takes no arguments"));
        assert!(errors("", "fn f(x: u8) -> Db {}").contains("takes no parameters"));
        assert!(errors("", "struct Db;").starts_with("#[init] applies to a function"));
        assert!(errors("", "fn f<T>() -> Db {}").contains("cannot be generic"));
        // A method gets the receiver error only, not also "takes no parameters".
        let method = errors("", "fn f(&self) -> Db {}");
        assert!(
            method.contains("remove `self`") && !method.contains("no parameters"),
            "{method}"
        );
        assert!(errors("", "fn f(&self, x: u8) -> Db {}").contains("no parameters"));
    }

    fn expand_str(item: &str) -> String {
        match parse(TokenStream::new(), tokens(item)) {
            Ok(init) => expand(&init).to_string(),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn expansion() {
        let private = |path: &str| common::private(path, Span::call_site()).to_string();
        let out = expand_str("async fn make_db() -> Result<Db, Error> {}");
        for expected in [
            format!("{} :: < Db , _ > (make_db () . await)", private("init_result")),
            format!("type_id : {} :: < Db >", private("type_id")),
            "state_type : \"Db\"".to_owned(),
            "run : __lambda_rt_init".to_owned(),
        ] {
            assert!(out.contains(&expected), "{expected}\nnot in\n{out}");
        }
        let out = expand_str("fn make_db() -> Db {}");
        let expected = format!("{} :: < Db > (make_db ())", private("init_value"));
        assert!(out.contains(&expected), "{out}");
    }
}
