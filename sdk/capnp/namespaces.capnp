# The Namespaces service: the tenants every other record belongs to.
# Namespaces are also created implicitly by the first record written in them.
@0x8833ddc17dd85326;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Namespaces {
  create @0 (ctx :Common.Context, name :Text, labels :List(Common.Label)) -> (namespace :Namespace);
  # Creates namespace `name`; already_exists if it does.

  get @1 (ctx :Common.Context, name :Text) -> (namespace :Namespace);
  # not_found if it does not exist.

  list @2 (ctx :Common.Context) -> (namespaces :List(Namespace));
  # Every namespace, by name.

  setLabels @3 (ctx :Common.Context, name :Text, labels :List(Common.Label)) -> (namespace :Namespace);
  # Replaces the labels of `name`.

  delete @4 (ctx :Common.Context, name :Text) -> ();
  # Deletes an empty namespace; failed_precondition, naming what is left, otherwise.
}

struct Namespace {
  name @0 :Text;
  labels @1 :List(Common.Label);
}
