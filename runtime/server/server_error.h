// Errors the server returns for requests it refuses, with the HTTP status the API answers: a bad
// request (400), an unknown object (404), a node secret that does not match (403). Everything
// else that goes wrong (the store cannot write) is an environment failure and maps to 500.
#pragma once

#include <string>

#include <llvm/Support/Error.h>

namespace drover::server {

enum class ErrorCode : int {
  kBadRequest = 400,
  kForbidden = 403,
  kNotFound = 404,
  kUnavailable = 503,
};

class ServerError : public llvm::ErrorInfo<ServerError> {
 public:
  static char ID;
  ServerError(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ErrorCode code() const { return code_; }
  const std::string& text() const { return message_; }
  void log(llvm::raw_ostream& os) const override { os << message_; }
  std::error_code convertToErrorCode() const override {
    return std::make_error_code(std::errc::invalid_argument);
  }

 private:
  ErrorCode code_;
  std::string message_;
};

inline llvm::Error MakeError(ErrorCode code, std::string message) {
  return llvm::make_error<ServerError>(code, std::move(message));
}

/// The HTTP status and message of any error: a ServerError's code, else 500. Consumes `err`.
struct ErrorStatus {
  int status = 500;
  std::string message;
};
ErrorStatus ToStatus(llvm::Error err);

}  // namespace drover::server
