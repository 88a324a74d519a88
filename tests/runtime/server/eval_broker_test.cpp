// The eval broker: priority order, one evaluation per job at a time, ack/nack, nack timeout,
// delivery limit, delayed evaluations; and the blocked-evaluation tracker.
#include "runtime/server/eval_broker.h"

#include <thread>

#include <gtest/gtest.h>

#include "runtime/server/blocked_evals.h"
#include "tests/runtime/runtime_fixtures.h"

namespace drover::server {
namespace {

using namespace std::chrono_literals;
using testing::NextId;

model::Evaluation Eval(const std::string& job, int priority, model::Index create_index) {
  model::Evaluation e;
  e.id = NextId();
  e.job_id = job;
  e.priority = priority;
  e.type = "service";
  e.create_index = create_index;
  return e;
}

BrokerOptions Options() {
  BrokerOptions o;
  o.nack_timeout = 10s;
  o.delivery_limit = 3;
  o.initial_nack_delay = 1s;
  o.subsequent_nack_delay = 5s;
  return o;
}

TEST(EvalBroker, HighestPriorityThenOldestFirst) {
  ManualClock clock;
  EvalBroker broker(Options(), clock);
  model::Evaluation low = Eval("a", 20, 1);
  model::Evaluation high_new = Eval("b", 80, 5);
  model::Evaluation high_old = Eval("c", 80, 3);
  broker.Enqueue(low);
  broker.Enqueue(high_new);
  broker.Enqueue(high_old);
  broker.Enqueue(high_old);  // duplicates are ignored
  std::vector<model::Id> order;
  while (auto d = broker.Dequeue(0ms)) {
    order.push_back(d->eval.id);
    ASSERT_FALSE(broker.Ack(d->eval.id, d->token));
  }
  EXPECT_EQ(order, (std::vector<model::Id>{high_old.id, high_new.id, low.id}));
  EXPECT_TRUE(broker.Idle());
}

TEST(EvalBroker, OneEvaluationPerJobAtATime) {
  ManualClock clock;
  EvalBroker broker(Options(), clock);
  model::Evaluation first = Eval("web", 50, 1);
  model::Evaluation second = Eval("web", 50, 2);
  model::Evaluation other = Eval("db", 50, 3);
  broker.Enqueue(first);
  broker.Enqueue(second);
  broker.Enqueue(other);
  auto d1 = broker.Dequeue(0ms);
  auto d2 = broker.Dequeue(0ms);
  ASSERT_TRUE(d1 && d2);
  EXPECT_EQ(d1->eval.id, first.id);
  EXPECT_EQ(d2->eval.id, other.id);  // web's second evaluation waits for the first
  EXPECT_FALSE(broker.Dequeue(0ms));
  EXPECT_EQ(broker.stats().waiting, 1u);
  ASSERT_FALSE(broker.Ack(d1->eval.id, d1->token));
  auto d3 = broker.Dequeue(0ms);
  ASSERT_TRUE(d3);
  EXPECT_EQ(d3->eval.id, second.id);
}

TEST(EvalBroker, NackRedeliversAfterDelayAndStaleTokensFail) {
  ManualClock clock;
  EvalBroker broker(Options(), clock);
  model::Evaluation e = Eval("web", 50, 1);
  broker.Enqueue(e);
  auto d = broker.Dequeue(0ms);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->attempt, 1);
  llvm::Error bad = broker.Ack(e.id, "not-the-token");
  EXPECT_TRUE(static_cast<bool>(bad));
  llvm::consumeError(std::move(bad));
  ASSERT_FALSE(broker.Nack(e.id, d->token));
  EXPECT_FALSE(broker.Dequeue(0ms));  // held for the nack delay
  clock.Advance(999ms);
  broker.Tick();
  EXPECT_FALSE(broker.Dequeue(0ms));
  clock.Advance(1ms);
  broker.Tick();
  auto again = broker.Dequeue(0ms);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->eval.id, e.id);
  EXPECT_EQ(again->attempt, 2);
  llvm::Error stale = broker.Ack(e.id, d->token);  // the first delivery's token
  EXPECT_TRUE(static_cast<bool>(stale));
  llvm::consumeError(std::move(stale));
  EXPECT_FALSE(broker.Ack(e.id, again->token));
}

TEST(EvalBroker, UnackedPastTheNackTimeoutIsRedelivered) {
  ManualClock clock;
  EvalBroker broker(Options(), clock);
  model::Evaluation e = Eval("web", 50, 1);
  broker.Enqueue(e);
  auto d = broker.Dequeue(0ms);
  ASSERT_TRUE(d);
  clock.Advance(9s);
  ASSERT_FALSE(broker.Touch(e.id, d->token));  // alive: the timer restarts
  clock.Advance(9s);
  broker.Tick();
  EXPECT_EQ(broker.stats().unacked, 1u);
  clock.Advance(2s);  // 11 s since the touch
  broker.Tick();
  EXPECT_EQ(broker.stats().unacked, 0u);
  clock.Advance(1s);
  broker.Tick();
  auto again = broker.Dequeue(0ms);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->attempt, 2);
}

TEST(EvalBroker, DeliveryLimitFailsTheEvaluationAndFreesTheJob) {
  ManualClock clock;
  BrokerOptions o = Options();
  o.delivery_limit = 2;
  EvalBroker broker(o, clock);
  model::Evaluation e = Eval("web", 50, 1);
  model::Evaluation next = Eval("web", 50, 2);
  broker.Enqueue(e);
  broker.Enqueue(next);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto d = broker.Dequeue(0ms);
    ASSERT_TRUE(d) << attempt;
    EXPECT_EQ(d->eval.id, e.id);
    ASSERT_FALSE(broker.Nack(d->eval.id, d->token));
    clock.Advance(10s);
    broker.Tick();
  }
  std::vector<model::Evaluation> failed = broker.TakeFailed();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].id, e.id);
  EXPECT_EQ(broker.stats().failed, 1u);
  auto d = broker.Dequeue(0ms);  // the job's next evaluation is released
  ASSERT_TRUE(d);
  EXPECT_EQ(d->eval.id, next.id);
}

TEST(EvalBroker, WaitUntilDelaysAnEvaluation) {
  ManualClock clock;
  EvalBroker broker(Options(), clock);
  model::Evaluation e = Eval("web", 50, 1);
  e.wait_until = clock.Now() + Nanos(30s);
  broker.Enqueue(e);
  EXPECT_FALSE(broker.Dequeue(0ms));
  EXPECT_EQ(broker.stats().delayed, 1u);
  clock.Advance(30s);
  broker.Tick();
  EXPECT_TRUE(broker.Dequeue(0ms));
}

TEST(EvalBroker, DequeueWaitsAndShutdownWakes) {
  ManualClock clock;
  EvalBroker broker(Options(), clock);
  model::Evaluation e = Eval("web", 50, 1);
  std::thread producer([&] {
    std::this_thread::sleep_for(20ms);
    broker.Enqueue(e);
  });
  auto d = broker.Dequeue(10s);
  producer.join();
  ASSERT_TRUE(d);
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    broker.Shutdown();
  });
  EXPECT_FALSE(broker.Dequeue(600s));
  stopper.join();
}

TEST(BlockedEvals, OnePerJobAndUnblockByClass) {
  BlockedEvals blocked;
  model::Evaluation a1 = Eval("a", 50, 1);
  model::Evaluation a2 = Eval("a", 50, 2);
  model::Evaluation b = Eval("b", 50, 3);
  b.class_eligibility = {{"v1:gpu", false}, {"v1:cpu", true}};
  EXPECT_FALSE(blocked.Block(a1).has_value());
  auto replaced = blocked.Block(a2);
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->id, a1.id);
  EXPECT_FALSE(blocked.Block(b).has_value());
  EXPECT_EQ(blocked.size(), 2u);
  // A node of a class b cannot use: only a (no class information) unblocks.
  std::vector<model::Evaluation> out = blocked.Unblock("v1:gpu");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, a2.id);
  out = blocked.Unblock("v1:cpu");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, b.id);
  EXPECT_EQ(blocked.size(), 0u);
}

TEST(HeartbeatTimers, ExpireInDeadlineOrder) {
  HeartbeatTimers timers;
  model::Id a = NextId();
  model::Id b = NextId();
  timers.Reset(a, 100);
  timers.Reset(b, 200);
  EXPECT_TRUE(timers.TakeExpired(99).empty());
  EXPECT_EQ(timers.TakeExpired(150), std::vector<model::Id>{a});
  timers.Reset(b, 300);
  EXPECT_TRUE(timers.TakeExpired(250).empty());
  EXPECT_EQ(timers.TakeExpired(300), std::vector<model::Id>{b});
  EXPECT_EQ(timers.size(), 0u);
}

}  // namespace
}  // namespace drover::server
