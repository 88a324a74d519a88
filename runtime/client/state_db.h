// The client's local state in LevelDB (<data_dir>/client/state, or client { state_dir }): the
// node's identity, the allocations it runs and, per task, its state, restart count and driver
// handle. It is what lets an agent that was killed (even with SIGKILL) find its tasks again:
// every change is written (synchronously) before the client acts on it or reports it.
//
// Keys: "node" -> {ID, SecretID}; "alloc/<id>" -> the allocation as the server sent it (API
// JSON, job embedded); "task/<alloc id>/<task>" -> {State, Handle, Restarts}.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

namespace leveldb {
class DB;
}

namespace drover::client {

class StateDb {
 public:
  /// Opens (creating) the database in `dir`. Fails when the directory is unusable or another
  /// process holds it.
  static llvm::Expected<std::unique_ptr<StateDb>> Open(const std::string& dir);
  ~StateDb();
  StateDb(const StateDb&) = delete;
  StateDb& operator=(const StateDb&) = delete;

  llvm::Error Put(const std::string& key, const nlohmann::json& value);
  /// The value, or null when absent or unreadable.
  nlohmann::json Get(const std::string& key) const;
  llvm::Error Delete(const std::string& key);
  /// Every key starting with `prefix`, with its value.
  std::map<std::string, nlohmann::json> Scan(const std::string& prefix) const;
  /// Deletes every key starting with `prefix`.
  llvm::Error DeletePrefix(const std::string& prefix);

  static std::string AllocKey(const std::string& alloc_id) { return "alloc/" + alloc_id; }
  static std::string TaskKey(const std::string& alloc_id, const std::string& task) {
    return "task/" + alloc_id + "/" + task;
  }

 private:
  explicit StateDb(leveldb::DB* db) : db_(db) {}
  leveldb::DB* db_;
};

}  // namespace drover::client
