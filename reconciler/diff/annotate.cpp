#include "reconciler/diff/annotate.h"

#include <charconv>

namespace drover::diff {
namespace {

int64_t ParseCount(const std::string& s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

void AnnotateCount(TaskGroupDiff& tg) {
  for (FieldDiff& f : tg.fields) {
    if (f.name != "Count") continue;
    int64_t old_v = f.old_value.empty() ? 0 : ParseCount(f.old_value);
    int64_t new_v = f.new_value.empty() ? 0 : ParseCount(f.new_value);
    if (old_v < new_v) {
      f.annotations.emplace_back(kForcesCreate);
    } else if (new_v < old_v) {
      f.annotations.emplace_back(kForcesDestroy);
    }
    return;
  }
}

void AnnotateTask(TaskDiff& task, const TaskGroupDiff& parent) {
  if (task.type == DiffType::kNone) return;
  if (parent.type == DiffType::kAdded || parent.type == DiffType::kDeleted) {
    if (task.type == DiffType::kAdded) {
      task.annotations.emplace_back(kForcesCreate);
      return;
    }
    if (task.type == DiffType::kDeleted) {
      task.annotations.emplace_back(kForcesDestroy);
      return;
    }
  }
  bool destructive = false;
  for (const FieldDiff& f : task.fields) {
    if (f.name != "KillTimeout") {
      destructive = true;
      break;
    }
  }
  if (!destructive) {
    for (const ObjectDiff& o : task.objects) {
      if (o.name == "Service" || o.name == "Constraint" || o.name == "Affinity" ||
          o.name == "Spread") {
        continue;
      }
      if (o.name == "LogConfig") {
        for (const FieldDiff& f : o.fields) {
          if (f.name == "Disabled" && f.type != DiffType::kNone) destructive = true;
        }
        if (destructive) break;
        continue;
      }
      destructive = true;
      break;
    }
  }
  task.annotations.emplace_back(destructive ? kForcesDestructive : kForcesInPlace);
}

}  // namespace

void Annotate(JobDiff& diff, const std::map<std::string, model::DesiredUpdates>& desired) {
  for (TaskGroupDiff& tg : diff.task_groups) {
    auto it = desired.find(tg.name);
    if (it != desired.end()) {
      const model::DesiredUpdates& d = it->second;
      auto put = [&](std::string_view name, uint64_t n) {
        if (n != 0) tg.updates[std::string(name)] = n;
      };
      put(update_type::kIgnore, d.ignore);
      put(update_type::kCreate, d.place);
      put(update_type::kMigrate, d.migrate);
      put(update_type::kDestroy, d.stop);
      put(update_type::kCanary, d.canary);
      put(update_type::kInPlace, d.in_place_update);
      put(update_type::kDestructive, d.destructive_update);
    }
    AnnotateCount(tg);
    for (TaskDiff& t : tg.tasks) AnnotateTask(t, tg);
  }
}

}  // namespace drover::diff
