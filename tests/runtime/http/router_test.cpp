// Router matching (parameters, 404/405) and the JSON body helpers.
#include "runtime/http/router.h"

#include <gtest/gtest.h>

namespace drover::http {
namespace {

ServerRequest Req(std::string method, std::string target) {
  ServerRequest r;
  r.method = std::move(method);
  r.target = target;
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = ParseQuery(target.substr(q + 1));
  return r;
}

TEST(Router, MatchesParametersAndDecodesThem) {
  Router router;
  router.Add("GET", "/v1/job/:id", [](const ServerRequest&, const RouteParams& p) {
    return ServerResponse::Text(200, "job " + p.Get("id"));
  });
  router.Add("GET", "/v1/job/:id/versions", [](const ServerRequest&, const RouteParams& p) {
    return ServerResponse::Text(200, "versions " + p.Get("id"));
  });
  EXPECT_EQ(router.Handle(Req("GET", "/v1/job/web")).body, "job web");
  EXPECT_EQ(router.Handle(Req("GET", "/v1/job/a%2Fb/versions")).body, "versions a/b");
  EXPECT_EQ(router.Handle(Req("GET", "/v1/job/web/")).body, "job web");
}

TEST(Router, UnknownPathIs404AndWrongMethodIs405) {
  Router router;
  router.Add("PUT|POST", "/v1/jobs", [](const ServerRequest&, const RouteParams&) {
    return ServerResponse::Text(200, "ok");
  });
  EXPECT_EQ(router.Handle(Req("POST", "/v1/jobs")).status, 200);
  EXPECT_EQ(router.Handle(Req("PUT", "/v1/jobs")).status, 200);
  ServerResponse r = router.Handle(Req("DELETE", "/v1/jobs"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "PUT, POST");
  EXPECT_EQ(router.Handle(Req("GET", "/v1/nope")).status, 404);
  EXPECT_EQ(router.Handle(Req("GET", "/")).status, 404);
}

TEST(JsonBody, RejectsEmptyInvalidAndTooDeep) {
  EXPECT_TRUE(static_cast<bool>(ParseJsonBody("{\"a\": [1, 2]}")));
  for (std::string bad : {"", "  ", "{", "nul", "{\"a\":}", "[1,]"}) {
    auto r = ParseJsonBody(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) llvm::consumeError(r.takeError());
  }
  auto deep = ParseJsonBody(std::string(100000, '[') + std::string(100000, ']'));
  ASSERT_FALSE(deep);
  EXPECT_NE(llvm::toString(deep.takeError()).find("nests deeper"), std::string::npos);
  // Brackets inside strings do not count.
  EXPECT_TRUE(static_cast<bool>(ParseJsonBody("\"" + std::string(1000, '[') + "\"")));
}

TEST(JsonBody, PrettyQueryIndents) {
  nlohmann::json j = {{"A", 1}};
  EXPECT_EQ(JsonResponse(Req("GET", "/x"), j).body, "{\"A\":1}");
  EXPECT_EQ(JsonResponse(Req("GET", "/x?pretty"), j).body, "{\n    \"A\": 1\n}\n");
}

TEST(PercentDecode, KeepsInvalidEscapes) {
  EXPECT_EQ(PercentDecode("a%2Fb%zz%4"), "a/b%zz%4");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

}  // namespace
}  // namespace drover::http
