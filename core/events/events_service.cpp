#include "events/events_service.hpp"

#include <string>
#include <vector>

#include "events/event_stream.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::events {

namespace {

std::string text(capnp::Text::Reader t) { return {t.begin(), t.size()}; }

}  // namespace

kj::Promise<void> EventsService::publish(PublishContext context) {
  return rpc::serve([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::string_view payload(params.getPayload().begin(), params.getPayload().size());
    exchange_.publishText(ns, text(params.getTopic()), payload);
  });
}

kj::Promise<void> EventsService::subscribe(SubscribeContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::vector<std::string> filters;
    for (auto f : params.getFilters()) filters.push_back(text(f));
    auto stream = kj::heap<EventStream>(exchange_.subscribe(filters::Filter::parse(filters)), params.getSink());
    // The call never returns on its own: the client unsubscribes by cancelling
    // it (or hanging up), which drops the stream and with it the subscription.
    context.allowCancellation();
    kj::Promise<void> running = stream->run();
    return running.attach(kj::mv(stream));
  });
}

}  // namespace tenon::events
