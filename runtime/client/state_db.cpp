#include "runtime/client/state_db.h"

#include <filesystem>

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

namespace drover::client {

llvm::Expected<std::unique_ptr<StateDb>> StateDb::Open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  leveldb::Options options;
  options.create_if_missing = true;
  leveldb::DB* db = nullptr;
  leveldb::Status s = leveldb::DB::Open(options, dir, &db);
  if (!s.ok()) {
    return llvm::createStringError(std::errc::io_error, "cannot open client state %s: %s",
                                   dir.c_str(), s.ToString().c_str());
  }
  return std::unique_ptr<StateDb>(new StateDb(db));
}

StateDb::~StateDb() { delete db_; }

llvm::Error StateDb::Put(const std::string& key, const nlohmann::json& value) {
  leveldb::WriteOptions w;
  w.sync = true;
  leveldb::Status s = db_->Put(w, key, value.dump());
  if (!s.ok()) {
    return llvm::createStringError(std::errc::io_error, "client state: writing %s: %s", key.c_str(),
                                   s.ToString().c_str());
  }
  return llvm::Error::success();
}

nlohmann::json StateDb::Get(const std::string& key) const {
  std::string value;
  if (!db_->Get(leveldb::ReadOptions(), key, &value).ok()) return nullptr;
  nlohmann::json j = nlohmann::json::parse(value, nullptr, false);
  return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

llvm::Error StateDb::Delete(const std::string& key) {
  leveldb::WriteOptions w;
  w.sync = true;
  leveldb::Status s = db_->Delete(w, key);
  if (!s.ok()) {
    return llvm::createStringError(std::errc::io_error, "client state: deleting %s: %s",
                                   key.c_str(), s.ToString().c_str());
  }
  return llvm::Error::success();
}

std::map<std::string, nlohmann::json> StateDb::Scan(const std::string& prefix) const {
  std::map<std::string, nlohmann::json> out;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    nlohmann::json j = nlohmann::json::parse(it->value().ToString(), nullptr, false);
    if (!j.is_discarded()) out[it->key().ToString()] = std::move(j);
  }
  return out;
}

llvm::Error StateDb::DeletePrefix(const std::string& prefix) {
  leveldb::WriteBatch batch;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    batch.Delete(it->key());
  }
  leveldb::WriteOptions w;
  w.sync = true;
  leveldb::Status s = db_->Write(w, &batch);
  if (!s.ok()) {
    return llvm::createStringError(std::errc::io_error, "client state: deleting %s*: %s",
                                   prefix.c_str(), s.ToString().c_str());
  }
  return llvm::Error::success();
}

}  // namespace drover::client
