#include "runtime/server/blocked_evals.h"

namespace drover::server {

std::optional<model::Evaluation> BlockedEvals::Block(model::Evaluation eval) {
  std::lock_guard<std::mutex> lock(mu_);
  model::JobKey job = eval.Job();
  std::optional<model::Evaluation> replaced;
  auto it = by_job_.find(job);
  if (it != by_job_.end()) {
    if (it->second.id == eval.id) {
      it->second = std::move(eval);
      return std::nullopt;
    }
    replaced = std::move(it->second);
  }
  by_job_[job] = std::move(eval);
  return replaced;
}

std::vector<model::Evaluation> BlockedEvals::Unblock(const std::string& computed_class) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<model::Evaluation> out;
  for (auto it = by_job_.begin(); it != by_job_.end();) {
    const model::Evaluation& e = it->second;
    bool may_help =
        computed_class.empty() || e.escaped_computed_class || e.class_eligibility.empty();
    if (!may_help) {
      auto c = e.class_eligibility.find(computed_class);
      may_help = c == e.class_eligibility.end() || c->second;
    }
    if (may_help) {
      out.push_back(std::move(it->second));
      it = by_job_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::optional<model::Evaluation> BlockedEvals::Untrack(const model::JobKey& job) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_job_.find(job);
  if (it == by_job_.end()) return std::nullopt;
  model::Evaluation e = std::move(it->second);
  by_job_.erase(it);
  return e;
}

size_t BlockedEvals::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_job_.size();
}

std::vector<model::Id> HeartbeatTimers::TakeExpired(model::Time now) {
  std::vector<model::Id> out;
  for (auto it = deadlines_.begin(); it != deadlines_.end();) {
    if (it->second <= now) {
      out.push_back(it->first);
      it = deadlines_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

}  // namespace drover::server
