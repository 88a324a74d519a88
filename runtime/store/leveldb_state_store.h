// The default state store: LevelDB files in one directory, every write one synced WriteBatch.
//
// Layout (keys -> values, all values JSON in Nomad's API shape, see model_json.h):
//   meta/schema                      "1"
//   meta/index                       the store's index (the last write's)
//   meta/tables                      [nodes, jobs, allocs, evals, deployments] table indexes
//   job/<ns>\0<id>\0<version:020>    a job version
//   node/<id>  alloc/<id>  eval/<id>  deploy/<id>
// An allocation stores only a reference to its job version (Namespace, JobID, JobVersion); when
// that version is gone (the job was purged) the allocation is rewritten with the job embedded.
//
// Open() rebuilds the in-memory state from these keys. A directory that cannot be used (a file in
// its place, no permission, another agent holding its lock, damaged LevelDB files, a value that
// does not decode) is an error that says what and where; it never crashes.
#pragma once

#include <memory>
#include <string>

#include "runtime/store/state_store.h"

namespace leveldb {
class DB;
}

namespace drover::store {

class LevelDbStateStore final : public StateStore {
 public:
  /// Opens (creating when missing, parents included) the store in `dir` and loads it.
  static llvm::Expected<std::unique_ptr<LevelDbStateStore>> Open(const std::string& dir);
  ~LevelDbStateStore() override;

  const std::string& dir() const { return dir_; }

 protected:
  llvm::Error Persist(const Changes& changes, Index index, const model::State& before) override;

 private:
  LevelDbStateStore(std::string dir, std::unique_ptr<leveldb::DB> db);
  llvm::Error Load();

  std::string dir_;
  std::unique_ptr<leveldb::DB> db_;
};

}  // namespace drover::store
