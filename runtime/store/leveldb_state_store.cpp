#include "runtime/store/leveldb_state_store.h"

#include <charconv>
#include <filesystem>
#include <set>
#include <system_error>

#include <fmt/format.h>
#include <leveldb/db.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/write_batch.h>

#include "runtime/store/model_json.h"

namespace drover::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSchema = "1";
constexpr std::string_view kSchemaKey = "meta/schema";
constexpr std::string_view kIndexKey = "meta/index";
constexpr std::string_view kTablesKey = "meta/tables";

std::string JobPrefix(const model::JobKey& key) {
  std::string k = "job/" + key.namespace_;
  k.push_back('\0');
  k += key.id;
  k.push_back('\0');
  return k;
}

std::string JobKeyOf(const model::JobKey& key, uint64_t version) {
  return JobPrefix(key) + fmt::format("{:020}", version);
}

std::string Printable(std::string_view key) {
  std::string out(key);
  for (char& c : out) {
    if (c == '\0') c = '/';
  }
  return out;
}

llvm::Error Error(const std::string& message) {
  return llvm::createStringError(std::errc::io_error, "%s", message.c_str());
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

LevelDbStateStore::LevelDbStateStore(std::string dir, std::unique_ptr<leveldb::DB> db)
    : dir_(std::move(dir)), db_(std::move(db)) {}

LevelDbStateStore::~LevelDbStateStore() = default;

llvm::Expected<std::unique_ptr<LevelDbStateStore>> LevelDbStateStore::Open(const std::string& dir) {
  std::error_code ec;
  fs::file_status st = fs::status(dir, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) {
      return Error(fmt::format("state store: {} exists and is not a directory", dir));
    }
  } else {
    fs::create_directories(dir, ec);
    if (ec) return Error(fmt::format("state store: cannot create {}: {}", dir, ec.message()));
  }
  leveldb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  leveldb::DB* raw = nullptr;
  leveldb::Status s = leveldb::DB::Open(options, dir, &raw);
  if (!s.ok()) {
    std::string hint;
    if (s.ToString().find("lock") != std::string::npos) {
      hint = " (is another agent using this data dir?)";
    } else if (s.IsCorruption()) {
      hint = " (the files are damaged; restore a backup or move the directory away)";
    }
    return Error(fmt::format("state store: cannot open {}: {}{}", dir, s.ToString(), hint));
  }
  std::unique_ptr<LevelDbStateStore> store(
      new LevelDbStateStore(dir, std::unique_ptr<leveldb::DB>(raw)));
  if (llvm::Error err = store->Load()) return err;
  return store;
}

llvm::Error LevelDbStateStore::Load() {
  model::State& state = MutableState();
  leveldb::ReadOptions ro;
  ro.verify_checksums = true;
  auto bad = [&](std::string_view key, const std::string& why) {
    return Error(fmt::format("state store: {} is damaged: key {}: {}", dir_, Printable(key), why));
  };

  std::string value;
  leveldb::Status s = db_->Get(ro, std::string(kSchemaKey), &value);
  bool fresh = s.IsNotFound();
  if (!s.ok() && !fresh) return bad(kSchemaKey, s.ToString());
  if (!fresh && value != kSchema) {
    return Error(fmt::format("state store: {} has schema version \"{}\"; this drover reads \"{}\"",
                             dir_, value, kSchema));
  }

  Index index = 0;
  std::array<Index, model::kTableCount> tables{};
  s = db_->Get(ro, std::string(kIndexKey), &value);
  if (s.ok()) {
    auto r = std::from_chars(value.data(), value.data() + value.size(), index);
    if (r.ec != std::errc() || r.ptr != value.data() + value.size()) {
      return bad(kIndexKey, "not a number: \"" + value + "\"");
    }
  } else if (!s.IsNotFound()) {
    return bad(kIndexKey, s.ToString());
  }
  s = db_->Get(ro, std::string(kTablesKey), &value);
  if (s.ok()) {
    json t = json::parse(value, nullptr, false);
    if (!t.is_array() || t.size() != tables.size())
      return bad(kTablesKey, "not a list of 5 indexes");
    for (size_t i = 0; i < tables.size(); ++i) {
      if (!t[i].is_number_unsigned()) return bad(kTablesKey, "not a list of 5 indexes");
      tables[i] = t[i].get<Index>();
    }
  } else if (!s.IsNotFound()) {
    return bad(kTablesKey, s.ToString());
  }

  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(ro));
  size_t objects = 0;
  // Scans `prefix`, decoding each value with `fn`.
  auto scan = [&](std::string_view prefix, auto&& fn) -> llvm::Error {
    for (it->Seek(leveldb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      if (key.substr(0, prefix.size()) != prefix) break;
      json j =
          json::parse(std::string_view(it->value().data(), it->value().size()), nullptr, false);
      if (j.is_discarded()) return bad(key, "value is not valid JSON");
      if (llvm::Error err = fn(key, j)) return bad(key, llvm::toString(std::move(err)));
      ++objects;
    }
    if (!it->status().ok()) return bad(prefix, it->status().ToString());
    return llvm::Error::success();
  };
  auto check_index = [&](Index object_index) -> llvm::Error {
    if (object_index > index) {
      return Error(
          fmt::format("modify index {} is past the store's index {}", object_index, index));
    }
    return llvm::Error::success();
  };

  // Job versions first: allocations point at them.
  if (auto err = scan("job/", [&](std::string_view, const json& j) -> llvm::Error {
        auto job = DecodeJobVersion(j);
        if (!job) return job.takeError();
        if (auto e = check_index(job->modify_index)) return e;
        state.RestoreJobVersion(std::move(*job));
        return llvm::Error::success();
      })) {
    return err;
  }
  if (auto err = scan("node/", [&](std::string_view, const json& j) -> llvm::Error {
        auto node = DecodeNode(j);
        if (!node) return node.takeError();
        if (auto e = check_index(node->modify_index)) return e;
        state.RestoreNode(std::move(*node));
        return llvm::Error::success();
      })) {
    return err;
  }
  if (auto err = scan("eval/", [&](std::string_view, const json& j) -> llvm::Error {
        auto eval = DecodeEvaluation(j);
        if (!eval) return eval.takeError();
        if (auto e = check_index(eval->modify_index)) return e;
        state.RestoreEval(std::move(*eval));
        return llvm::Error::success();
      })) {
    return err;
  }
  if (auto err = scan("deploy/", [&](std::string_view, const json& j) -> llvm::Error {
        auto d = DecodeDeployment(j);
        if (!d) return d.takeError();
        if (auto e = check_index(d->modify_index)) return e;
        state.RestoreDeployment(std::move(*d));
        return llvm::Error::success();
      })) {
    return err;
  }
  JobResolver resolve = [&](const model::JobKey& key, uint64_t version) {
    return state.GetJobVersion(key, version);
  };
  if (auto err = scan("alloc/", [&](std::string_view, const json& j) -> llvm::Error {
        auto a = DecodeAllocation(j, resolve, /*require_job=*/true);
        if (!a) return a.takeError();
        if (auto e = check_index(a->modify_index)) return e;
        state.RestoreAlloc(std::move(*a));
        return llvm::Error::success();
      })) {
    return err;
  }
  if (objects > 0 && index == 0) return bad(kIndexKey, "missing, but the store holds objects");
  state.SetIndexes(index, tables);
  PublishIndexes();
  if (fresh) {
    leveldb::WriteOptions wo;
    wo.sync = true;
    s = db_->Put(wo, std::string(kSchemaKey), std::string(kSchema));
    if (!s.ok()) return Error(fmt::format("state store: cannot write {}: {}", dir_, s.ToString()));
  }
  return llvm::Error::success();
}

llvm::Error LevelDbStateStore::Persist(const Changes& c, Index index, const model::State& before) {
  leveldb::WriteBatch batch;
  std::set<model::JobKey> purged(c.purged_jobs.begin(), c.purged_jobs.end());
  // Is (key, version) stored once this batch is applied?
  auto version_kept = [&](const model::JobKey& key, uint64_t version) {
    for (const model::JobVersion& j : c.jobs) {
      if (j.Key() == key && j.version == version) return true;
    }
    return !purged.contains(key) && before.GetJobVersion(key, version) != nullptr;
  };
  auto put_alloc = [&](const model::Allocation& a) {
    bool embed = a.job && !version_kept(a.Job(), a.job->version);
    batch.Put("alloc/" + a.id.ToString(),
              Dump(EncodeAllocation(a, embed ? EmbedJob::kYes : EmbedJob::kNo)));
  };

  std::set<model::Id> written_allocs;
  for (const model::Allocation& a : c.allocs) written_allocs.insert(a.id);
  for (const model::Id& id : c.deleted_allocs) written_allocs.insert(id);
  for (const model::JobKey& key : c.purged_jobs) {
    for (const model::JobVersionPtr& v : before.GetJobVersions(key)) {
      batch.Delete(JobKeyOf(key, v->version));
    }
    // Allocations that outlive their job carry it from now on.
    for (const model::Allocation* a : before.AllocsByJob(key)) {
      if (!written_allocs.contains(a->id)) put_alloc(*a);
    }
  }
  for (const model::Id& id : c.deleted_nodes) batch.Delete("node/" + id.ToString());
  for (const model::Id& id : c.deleted_allocs) batch.Delete("alloc/" + id.ToString());
  for (const model::Id& id : c.deleted_evals) batch.Delete("eval/" + id.ToString());
  for (const model::Id& id : c.deleted_deployments) batch.Delete("deploy/" + id.ToString());
  for (const model::JobVersion& j : c.jobs) {
    batch.Put(JobKeyOf(j.Key(), j.version), Dump(EncodeJobVersion(j)));
  }
  for (const model::Node& n : c.nodes) batch.Put("node/" + n.id.ToString(), Dump(EncodeNode(n)));
  for (const model::Allocation& a : c.allocs) put_alloc(a);
  for (const model::Evaluation& e : c.evals) {
    batch.Put("eval/" + e.id.ToString(), Dump(EncodeEvaluation(e)));
  }
  for (const model::Deployment& d : c.deployments) {
    batch.Put("deploy/" + d.id.ToString(), Dump(EncodeDeployment(d)));
  }

  // The table indexes after this write, mirroring model::State::Touch.
  std::array<Index, model::kTableCount> tables{};
  for (int t = 0; t < model::kTableCount; ++t) tables[t] = before.TableIndex(static_cast<Table>(t));
  auto touch = [&](Table t, bool changed) {
    if (changed) tables[static_cast<int>(t)] = index;
  };
  touch(Table::kJobs, !c.jobs.empty() || !c.purged_jobs.empty());
  touch(Table::kNodes, !c.nodes.empty() || !c.deleted_nodes.empty());
  touch(Table::kAllocs, !c.allocs.empty() || !c.deleted_allocs.empty());
  touch(Table::kEvals, !c.evals.empty() || !c.deleted_evals.empty());
  touch(Table::kDeployments, !c.deployments.empty() || !c.deleted_deployments.empty());
  batch.Put(std::string(kIndexKey), std::to_string(index));
  batch.Put(std::string(kTablesKey), json(tables).dump());

  leveldb::WriteOptions wo;
  wo.sync = true;
  leveldb::Status s = db_->Write(wo, &batch);
  if (!s.ok()) {
    return Error(
        fmt::format("state store: write at index {} to {} failed: {}", index, dir_, s.ToString()));
  }
  return llvm::Error::success();
}

}  // namespace drover::store
