// Every endpoint, every kind of bad input: garbage bytes, truncated JSON, wrong JSON types, wrong
// content (XML), deep nesting, invalid UTF-8, a body over the limit, odd ids in paths, wrong
// methods. The answer is always a 4xx with a message (413 for the oversized body), never a 5xx,
// never a dropped connection, and the server keeps serving.
#include "tests/runtime/api/api_fixture.h"

namespace drover::api {
namespace {

struct Route {
  std::string method;
  std::string path;
};

class MalformedInputTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    // Objects for the id-taking routes to find.
    json reg = Expect(200, "PUT", "/v1/jobs", JobBody("web", 1).dump());
    Settle();
    eval_id_ = reg["EvalID"];
    alloc_id_ = Expect(200, "GET", "/v1/allocations")[0]["ID"];
  }

  std::vector<Route> Routes() const {
    std::string n = node_.id.ToString();
    return {
        {"GET", "/v1/jobs"},
        {"PUT", "/v1/jobs"},
        {"POST", "/v1/jobs"},
        {"POST", "/v1/jobs/parse"},
        {"GET", "/v1/job/web"},
        {"POST", "/v1/job/web"},
        {"PUT", "/v1/job/web"},
        {"DELETE", "/v1/job/ghost"},
        {"GET", "/v1/job/web/versions"},
        {"GET", "/v1/job/web/allocations"},
        {"GET", "/v1/job/web/evaluations"},
        {"GET", "/v1/job/web/summary"},
        {"GET", "/v1/job/web/deployments"},
        {"GET", "/v1/job/web/deployment"},
        {"POST", "/v1/job/web/plan"},
        {"PUT", "/v1/job/web/evaluate"},
        {"POST", "/v1/validate/job"},
        {"PUT", "/v1/validate/job"},
        {"GET", "/v1/allocations"},
        {"GET", "/v1/allocation/" + alloc_id_},
        {"GET", "/v1/evaluations"},
        {"GET", "/v1/evaluation/" + eval_id_},
        {"GET", "/v1/evaluation/" + eval_id_ + "/allocations"},
        {"GET", "/v1/deployments"},
        {"GET", "/v1/deployment/" + eval_id_},
        {"GET", "/v1/deployment/allocations/" + eval_id_},
        {"GET", "/v1/deployment/allocations/%ff%fe"},
        {"GET", "/v1/nodes"},
        {"GET", "/v1/node/" + n},
        {"GET", "/v1/node/" + n + "/allocations"},
        {"GET", "/v1/status/leader"},
        {"GET", "/v1/status/peers"},
        {"GET", "/v1/regions"},
        {"GET", "/v1/agent/self"},
        {"GET", "/v1/agent/members"},
        {"GET", "/v1/agent/health"},
        // wrong methods and odd ids
        {"DELETE", "/v1/jobs"},
        {"PATCH", "/v1/job/web"},
        {"GET", "/v1/job/web/plan"},
        {"GET", "/v1/job/%00"},
        {"GET", "/v1/job/..%2F..%2Fetc"},
        {"GET", "/v1/allocation/%ff%fe"},
        {"GET", "/v1/node/" + std::string(300, 'a')},
        {"GET", "/v1/evaluation/x/allocations"},
        {"POST", "/v1/job/%E2%98%83/plan"},
    };
  }

  static std::vector<std::string> Bodies() {
    std::string valid_job = JobBody("web", 1).dump();
    return {
        "",
        std::string("garbage \x00\x01\xff\xfe binary", 22),
        "{",
        R"({"Job": {"ID": "web", "TaskGroups": [{"Name": "g", "Count": )",
        "[]",
        "123",
        "\"just a string\"",
        "null",
        "true",
        R"({"Job": 5})",
        R"({"Job": "web"})",
        R"({"Job": []})",
        R"({"Job": null})",
        R"({"Job": {}})",
        R"({"Job": {"ID": 5}})",
        R"({"Job": {"ID": "web", "TaskGroups": "many"}})",
        R"({"Job": {"ID": "web", "TaskGroups": [{"Name": "g", "Tasks": 7}]}})",
        R"({"Job": {"ID": "web", "TaskGroups": [{"Name": "g", "Count": 1e300}]}})",
        R"({"Job": {"ID": "web", "Priority": "high"}})",
        R"({"Job": {"ID": "web", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Resources": {"MemoryMB": -5}}]}]}})",
        R"({"Job": {"ID": "web", "Type": "quantum"}})",
        valid_job.substr(0, valid_job.size() / 2),
        valid_job.substr(0, valid_job.size() - 1) + R"(, "EnforceIndex": "yes"})",
        valid_job.substr(0, valid_job.size() - 1) + R"(, "JobModifyIndex": -1})",
        valid_job.substr(0, valid_job.size() - 1) + R"(, "EvalPriority": 1000})",
        valid_job.substr(0, valid_job.size() - 1) + R"(, "Diff": "yes"})",
        R"({"JobHCL": 5})",
        R"({"JobHCL": ""})",
        "{\"JobHCL\": \"job \\\"x\\\" { group \\\"g\\\" { count = \\\"lots\\\" } }\"}",
        R"({"JobHCL": "job \"x\" {", "Canonicalize": "yes"})",
        R"({"JobHCL": "job \"x\" {}", "VariableFlags": [1, 2]})",
        R"({"JobHCL": "job \"x\" {}", "Variables": "this is = = not hcl"})",
        R"({"JobHCL": "job \"x\" {}", "HCLv1": true})",
        R"({"JobID": 5, "EvalOptions": 7})",
        "{\"Job\": {\"ID\": \"\xff\xfe\"}}",
        "<?xml version=\"1.0\"?><job id=\"web\"/>",
        std::string(20000, '[') + std::string(20000, ']'),
        std::string(20000, '{'),
        "{\"Job\": {\"ID\": \"" + std::string(1 << 20, 'a') + "\"}}",
    };
  }

  std::string eval_id_;
  std::string alloc_id_;
};

TEST_F(MalformedInputTest, EveryEndpointAnswersBadInputWithA4xx) {
  int requests = 0;
  for (const Route& route : Routes()) {
    for (const std::string& body : Bodies()) {
      testing::HttpResult r = Do(route.method, route.path, body);
      ++requests;
      ASSERT_NE(r.status, 0) << route.method << " " << route.path << " dropped the connection ("
                             << r.error << ") for body: " << body.substr(0, 80);
      EXPECT_LT(r.status, 500) << route.method << " " << route.path << " -> " << r.status << " "
                               << r.body.substr(0, 200) << " for body: " << body.substr(0, 80);
      if (r.status >= 400) {
        EXPECT_FALSE(r.body.empty()) << route.method << " " << route.path << ": no message";
      }
    }
  }
  EXPECT_GT(requests, 1000);
  // Still serving, and the job registered in SetUp is intact.
  EXPECT_EQ(Expect(200, "GET", "/v1/job/web")["ID"], "web");
}

TEST_F(MalformedInputTest, BodiesOverTheLimitAre413) {
  std::string huge = "{\"Job\": {\"ID\": \"" + std::string(5 << 20, 'a') + "\"}}";
  for (const Route& route : Routes()) {
    if (route.method == "GET") continue;
    testing::HttpResult r = Do(route.method, route.path, huge);
    EXPECT_EQ(r.status, 413) << route.method << " " << route.path;
  }
  EXPECT_EQ(Do("GET", "/v1/jobs").status, 200);
}

TEST_F(MalformedInputTest, WrongTypesNameTheField) {
  testing::HttpResult r = Do("PUT", "/v1/jobs", R"({"Job": {"ID": "web", "Priority": "high"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Job.Priority"), std::string::npos) << r.body;
  r = Do("PUT", "/v1/jobs", JobBody("web").dump().substr(0, 40));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("not valid JSON"), std::string::npos) << r.body;
  r = Do("PUT", "/v1/jobs", "[]");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("must be a JSON object"), std::string::npos) << r.body;
  r = Do("PUT", "/v1/jobs", R"({"Job": null})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Job must be specified"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace drover::api
