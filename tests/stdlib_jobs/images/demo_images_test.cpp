// stdlib_jobs/images/build against the real dockerd (label `docker`; skipped when unreachable):
// both tags exist with the content label and the dojo's shape (port 8080, $PORT), and a second
// run changes nothing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/drivers/docker/docker_driver.h"
#include "runtime/http/http_client.h"
#include "tests/support/test_paths.h"

namespace drover {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

http::HttpClient Docker() {
  return http::HttpClient(drivers::DockerDriver::DefaultEndpoint(), {5s, 16u << 20});
}

class DemoImagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    llvm::Expected<http::Response> ping = Docker().Get("/_ping");
    if (!ping || ping->status != 200) {
      if (!ping) llvm::consumeError(ping.takeError());
      GTEST_SKIP() << "dockerd is not reachable";
    }
  }
  static testing::CommandResult Build() {
    return testing::RunCommand(testing::SourceDir() + "/stdlib_jobs/images/build");
  }
};

TEST_F(DemoImagesTest, BuildsBothTagsAndASecondRunChangesNothing) {
  testing::CommandResult first = Build();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  std::string ids[2];
  int i = 0;
  for (const char* tag : {"latest", "2.0"}) {
    llvm::Expected<http::Response> r =
        Docker().Get(std::string("/v1.41/images/thedojoseries/frontend:") + tag + "/json");
    ASSERT_TRUE(static_cast<bool>(r)) << llvm::toString(r.takeError());
    ASSERT_EQ(r->status, 200) << tag;
    json image = json::parse(r->body);
    ids[i++] = image["Id"];
    EXPECT_TRUE(image["Config"]["ExposedPorts"].contains("8080/tcp")) << tag;
    EXPECT_EQ(image["Config"]["Labels"]["io.drover.content-hash"].get<std::string>().size(), 64u);
    std::string cmd = image["Config"]["Cmd"].dump();
    EXPECT_NE(cmd.find("${PORT:-8080}"), std::string::npos) << cmd;
  }
  EXPECT_NE(ids[0], ids[1]);

  testing::CommandResult second = Build();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(second.out,
            "thedojoseries/frontend:latest is up to date\n"
            "thedojoseries/frontend:2.0 is up to date\n");
  llvm::Expected<http::Response> again =
      Docker().Get("/v1.41/images/thedojoseries/frontend:latest/json");
  ASSERT_TRUE(static_cast<bool>(again));
  EXPECT_EQ(json::parse(again->body)["Id"], ids[0]);
}

}  // namespace
}  // namespace drover
