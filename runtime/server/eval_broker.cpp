#include "runtime/server/eval_broker.h"

#include <algorithm>

#include "runtime/server/server_error.h"

namespace drover::server {

EvalBroker::EvalBroker(BrokerOptions options, const Clock& clock)
    : options_(options), clock_(clock) {}

void EvalBroker::PushReadyLocked(Entry& e) {
  ready_.insert({-e.eval.priority, e.eval.create_index, seq_++, e.eval.id});
  cv_.notify_one();
}

void EvalBroker::MakeReadyLocked(Entry& e) {
  if (e.holds_job) {
    PushReadyLocked(e);
    return;
  }
  model::JobKey job = e.eval.Job();
  if (active_jobs_.contains(job)) {
    waiting_[job].push_back(e.eval.id);
    return;
  }
  active_jobs_.insert(job);
  e.holds_job = true;
  PushReadyLocked(e);
}

void EvalBroker::ReleaseJobLocked(const model::JobKey& job) {
  auto w = waiting_.find(job);
  if (w == waiting_.end() || w->second.empty()) {
    active_jobs_.erase(job);
    if (w != waiting_.end()) waiting_.erase(w);
    return;
  }
  // The next evaluation of the job: highest priority, then oldest.
  auto best =
      std::min_element(w->second.begin(), w->second.end(), [&](const auto& a, const auto& b) {
        const model::Evaluation& ea = evals_.at(a).eval;
        const model::Evaluation& eb = evals_.at(b).eval;
        if (ea.priority != eb.priority) return ea.priority > eb.priority;
        return ea.create_index < eb.create_index;
      });
  Entry& next = evals_.at(*best);
  w->second.erase(best);
  if (w->second.empty()) waiting_.erase(w);
  next.holds_job = true;
  PushReadyLocked(next);
}

void EvalBroker::Enqueue(model::Evaluation eval) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutdown_ || evals_.contains(eval.id)) return;
  model::Id id = eval.id;
  model::Time wait_until = eval.wait_until;
  Entry& e = evals_[id];
  e.eval = std::move(eval);
  if (wait_until > clock_.Now()) {
    delayed_.emplace(wait_until, id);
    return;
  }
  MakeReadyLocked(e);
}

std::optional<EvalBroker::Delivery> EvalBroker::Dequeue(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, timeout, [&] { return shutdown_ || !ready_.empty(); })) {
    return std::nullopt;
  }
  if (shutdown_) return std::nullopt;
  ReadyKey key = *ready_.begin();
  ready_.erase(ready_.begin());
  Entry& e = evals_.at(key.id);
  e.deliveries += 1;
  e.token = std::to_string(next_token_++);
  e.deadline = clock_.Now() + options_.nack_timeout.count();
  unacked_.insert(key.id);
  return Delivery{e.eval, e.token, e.deliveries};
}

llvm::Error EvalBroker::CheckOutstandingLocked(const model::Id& id, const std::string& token,
                                               std::map<model::Id, Entry>::iterator& it) {
  it = evals_.find(id);
  if (it == evals_.end() || !unacked_.contains(id)) {
    return MakeError(ErrorCode::kBadRequest, "evaluation " + id.ToString() + " is not outstanding");
  }
  if (it->second.token != token) {
    return MakeError(ErrorCode::kBadRequest,
                     "token does not match for evaluation " + id.ToString());
  }
  return llvm::Error::success();
}

llvm::Error EvalBroker::Ack(const model::Id& eval_id, const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<model::Id, Entry>::iterator it;
  if (llvm::Error err = CheckOutstandingLocked(eval_id, token, it)) return err;
  unacked_.erase(eval_id);
  model::JobKey job = it->second.eval.Job();
  bool held = it->second.holds_job;
  evals_.erase(it);
  if (held) ReleaseJobLocked(job);
  return llvm::Error::success();
}

void EvalBroker::NackLocked(std::map<model::Id, Entry>::iterator it) {
  Entry& e = it->second;
  unacked_.erase(e.eval.id);
  e.token.clear();
  if (e.deliveries >= options_.delivery_limit) {
    failed_.push_back(e.eval);
    ++failed_total_;
    model::JobKey job = e.eval.Job();
    bool held = e.holds_job;
    evals_.erase(it);
    if (held) ReleaseJobLocked(job);
    return;
  }
  model::Duration delay =
      e.deliveries <= 1 ? options_.initial_nack_delay : options_.subsequent_nack_delay;
  if (delay.count() <= 0) {
    PushReadyLocked(e);
  } else {
    delayed_.emplace(clock_.Now() + delay.count(), e.eval.id);
  }
}

llvm::Error EvalBroker::Nack(const model::Id& eval_id, const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<model::Id, Entry>::iterator it;
  if (llvm::Error err = CheckOutstandingLocked(eval_id, token, it)) return err;
  NackLocked(it);
  return llvm::Error::success();
}

llvm::Error EvalBroker::Touch(const model::Id& eval_id, const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<model::Id, Entry>::iterator it;
  if (llvm::Error err = CheckOutstandingLocked(eval_id, token, it)) return err;
  it->second.deadline = clock_.Now() + options_.nack_timeout.count();
  return llvm::Error::success();
}

void EvalBroker::Tick() {
  std::lock_guard<std::mutex> lock(mu_);
  model::Time now = clock_.Now();
  std::vector<model::Id> expired;
  for (const model::Id& id : unacked_) {
    if (evals_.at(id).deadline <= now) expired.push_back(id);
  }
  for (const model::Id& id : expired) NackLocked(evals_.find(id));
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    model::Id id = delayed_.begin()->second;
    delayed_.erase(delayed_.begin());
    auto it = evals_.find(id);
    if (it != evals_.end()) MakeReadyLocked(it->second);
  }
}

std::vector<model::Evaluation> EvalBroker::TakeFailed() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(failed_, {});
}

EvalBroker::Stats EvalBroker::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s;
  s.ready = ready_.size();
  s.unacked = unacked_.size();
  for (const auto& [job, ids] : waiting_) s.waiting += ids.size();
  s.delayed = delayed_.size();
  s.failed = failed_total_;
  return s;
}

bool EvalBroker::Idle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return evals_.empty();
}

void EvalBroker::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
  }
  cv_.notify_all();
}

}  // namespace drover::server
