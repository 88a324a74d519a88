#include "runtime/server/server_error.h"

namespace drover::server {

char ServerError::ID = 0;

ErrorStatus ToStatus(llvm::Error err) {
  ErrorStatus out;
  llvm::handleAllErrors(
      std::move(err),
      [&](const ServerError& e) {
        out.status = static_cast<int>(e.code());
        out.message = e.text();
      },
      [&](const llvm::ErrorInfoBase& e) {
        out.status = 500;
        out.message = e.message();
      });
  return out;
}

}  // namespace drover::server
