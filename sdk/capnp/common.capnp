# Types every tenon service shares.
#
# Errors: a failed call raises a Cap'n Proto exception whose description is
# "<code>: <message>", where <code> is one of the lower-case names of the C
# ABI's status vocabulary (not_found, already_exists, invalid_argument,
# failed_precondition, unavailable, not_implemented, internal,
# permission_denied, cancelled, deadline_exceeded, resource_exhausted).
@0xad64a47b3df710b1;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

struct Context {
  # Carried by every request.
  namespace @0 :Text;
  # The namespace the request acts in; empty means "default". Names match
  # [a-z0-9]([a-z0-9._-]*[a-z0-9])? and are at most 76 characters.

  lease @1 :Text;
  # A lease (in that namespace) that holds what the request creates, so that
  # garbage collection leaves it alone until the lease goes; empty for none.
}

struct Label {
  key @0 :Text;
  value @1 :Text;
}

struct Mount {
  # The Mount shared by snapshotters and runtimes, as `mount -t type -o options source target`.
  type @0 :Text;
  source @1 :Text;
  target @2 :Text;
  options @3 :List(Text);
}
