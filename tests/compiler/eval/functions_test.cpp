// Every function of the library: good calls and their results, bad calls with the diagnostic code
// and the argument the diagnostic points at.
#include "compiler/eval/functions.h"

#include <gtest/gtest.h>

#include "tests/compiler/eval/eval_helpers.h"

namespace drover::eval {
namespace {

struct Good {
  const char* expr;
  const char* want;
};

struct Bad {
  const char* expr;
  const char* code;
  const char* points_at;  ///< source text of the diagnostic's range
};

void CheckGood(std::initializer_list<Good> cases) {
  for (const Good& c : cases) {
    EvalFixture f;
    Value v = f.Eval(c.expr);
    EXPECT_TRUE(f.diags.diagnostics().empty()) << c.expr << "\n" << f.Errors();
    EXPECT_EQ(v.ToString(), c.want) << c.expr;
  }
}

void CheckBad(std::initializer_list<Bad> cases) {
  for (const Bad& c : cases) {
    EvalFixture f;
    Value v = f.Eval(c.expr);
    EXPECT_TRUE(v.IsUnknown()) << c.expr;
    ASSERT_EQ(f.diags.diagnostics().size(), 1u) << c.expr << "\n" << f.Errors();
    EXPECT_EQ(f.Codes()[0], c.code) << c.expr << "\n" << f.Errors();
    EXPECT_EQ(f.PointsAt(), c.points_at) << c.expr << "\n" << f.Errors();
  }
}

TEST(FunctionsTest, MessageNamesFunctionAndArgument) {
  EvalFixture f;
  f.Eval("substr(\"abc\", \"x\", 1)");
  EXPECT_EQ(f.Message(), "invalid argument 2 of `substr`: offset must be a number");
  EXPECT_EQ(f.PointsAt(), "\"x\"");
}

TEST(FunctionsTest, Numeric) {
  CheckGood({{"abs(-3)", "3"},
             {"abs(2.5)", "2.5"},
             {"ceil(1.2)", "2"},
             {"floor(-1.2)", "-2"},
             {"floor(4)", "4"},
             {"log(8, 2)", "3"},
             {"max(1, 9, 3)", "9"},
             {"min(4, -1)", "-1"},
             {"parseint(\"ff\", 16)", "255"},
             {"parseint(\"-101\", 2)", "-5"},
             {"parseint(\"zz\", 36)", "1295"},
             {"pow(2, 10)", "1024"},
             {"pow(4, 0.5)", "2"},
             {"signum(-4)", "-1"},
             {"signum(0)", "0"},
             {"sum([1, 2, 3.5])", "6.5"},
             {"max(\"3\", 2)", "3"}});
  CheckBad({{"abs(\"x\")", "E0412", "\"x\""},
            {"log(0, 2)", "E0412", "0"},
            {"log(8, 1)", "E0412", "1"},
            {"max()", "E0411", "max()"},
            {"min(1, true)", "E0412", "true"},
            {"parseint(\"12\", 1)", "E0412", "1"},
            {"parseint(\"fg\", 16)", "E0412", "\"fg\""},
            {"pow(\"a\", 2)", "E0412", "\"a\""},
            {"signum(null)", "E0412", "null"},
            {"sum([])", "E0412", "[]"},
            {"sum([1, \"a\"])", "E0412", "[1, \"a\"]"},
            {"ceil([1])", "E0412", "[1]"}});
}

TEST(FunctionsTest, String) {
  CheckGood({{"chomp(\"a\\n\\n\")", "\"a\""},
             {"chomp(\"a\\r\\n\")", "\"a\""},
             {"indent(2, \"a\\nb\")", "\"a\\n  b\""},
             {"join(\", \", [\"a\", \"b\"], [\"c\"])", "\"a, b, c\""},
             {"join(\"-\", [1, 2])", "\"1-2\""},
             {"lower(\"ABC\")", "\"abc\""},
             {"upper(\"abc\")", "\"ABC\""},
             {"replace(\"a-b-c\", \"-\", \"+\")", "\"a+b+c\""},
             {"replace(\"a1b22\", \"/[0-9]+/\", \"#\")", "\"a#b#\""},
             {"replace(\"key=val\", \"/(\\\\w+)=(\\\\w+)/\", \"$2=$1\")", "\"val=key\""},
             {"replace(\"x\", \"\", \"y\")", "\"x\""},
             {"split(\",\", \"a,b,,c\")", "[\"a\", \"b\", \"\", \"c\"]"},
             {"split(\",\", \"\")", "[\"\"]"},
             {"strrev(\"héllo\")", "\"olléh\""},
             {"substr(\"hello\", 1, 3)", "\"ell\""},
             {"substr(\"hello\", -3, -1)", "\"llo\""},
             {"substr(\"héllo\", 0, 2)", "\"hé\""},
             {"substr(\"abc\", 5, 1)", "\"\""},
             {"title(\"hello big world\")", "\"Hello Big World\""},
             {"trim(\"?!a?!\", \"!?\")", "\"a\""},
             {"trimprefix(\"foobar\", \"foo\")", "\"bar\""},
             {"trimprefix(\"foobar\", \"x\")", "\"foobar\""},
             {"trimsuffix(\"foobar\", \"bar\")", "\"foo\""},
             {"trimspace(\"  a b \\n\")", "\"a b\""},
             {"startswith(\"abc\", \"ab\")", "true"},
             {"endswith(\"abc\", \"x\")", "false"},
             {"strcontains(\"abc\", \"b\")", "true"}});
  CheckBad({{"chomp(1 == 1 ? [] : [])", "E0412", "1 == 1 ? [] : []"},
            {"indent(-1, \"a\")", "E0412", "-1"},
            {"join(\",\", [[1]])", "E0412", "[[1]]"},
            {"join(\",\", \"a\")", "E0412", "\"a\""},
            {"lower(null)", "E0412", "null"},
            {"replace(\"a\", \"/(/\", \"b\")", "E0412", "\"/(/\""},
            {"split(1 == 1 ? [] : [], \"a\")", "E0412", "1 == 1 ? [] : []"},
            {"substr(\"abc\", 0, \"x\")", "E0412", "\"x\""},
            {"substr(\"abc\", -9, 1)", "E0412", "-9"},
            {"substr(\"abc\", 1.5, 1)", "E0412", "1.5"},
            {"trim(\"a\", [])", "E0412", "[]"},
            {"title({})", "E0412", "{}"}});
}

TEST(FunctionsTest, Format) {
  CheckGood({{"format(\"%s-%d\", \"a\", 5)", "\"a-5\""},
             {"format(\"%05d|%-4s|%4s|\", 42, \"ab\", \"cd\")", "\"00042|ab  |  cd|\""},
             {"format(\"%.2f %f\", 3.14159, 1)", "\"3.14 1.000000\""},
             {"format(\"%x %X %o %b\", 255, 255, 8, 5)", "\"ff FF 10 101\""},
             {"format(\"%q\", \"a\\\"b\")", "\"\\\"a\\\\\\\"b\\\"\""},
             {"format(\"%t %v %v\", true, 1.5, [1, \"a\"])", "\"true 1.5 [1,\\\"a\\\"]\""},
             {"format(\"%%\")", "\"%\""},
             {"format(\"%[2]s %[1]s\", \"a\", \"b\")", "\"b a\""},
             {"format(\"%+d %e\", 3, 1500)", "\"+3 1.500000e+03\""},
             {"format(\"%.1s\", \"abc\")", "\"a\""},
             {"format(\"%d\", \"12\")", "\"12\""},
             {"formatlist(\"%s=%d\", [\"a\", \"b\"], [1, 2])", "[\"a=1\", \"b=2\"]"},
             {"formatlist(\"%s-%s\", \"x\", [\"a\", \"b\"])", "[\"x-a\", \"x-b\"]"}});
  CheckBad({{"format(\"%d\", \"a\")", "E0412", "\"a\""},
            {"format(\"%d %s\", 1)", "E0412", "\"%d %s\""},
            {"format(\"%d\", 1.5)", "E0412", "1.5"},
            {"format(\"%y\", 1)", "E0412", "1"},
            {"format(\"abc%\")", "E0412", "\"abc%\""},
            {"format(\"%s\", [1])", "E0412", "[1]"},
            {"formatlist(\"%s\", [\"a\"], [\"b\", \"c\"])", "E0412", "[\"b\", \"c\"]"}});
}

TEST(FunctionsTest, Regex) {
  CheckGood({{"regex(\"[a-z]+\", \"123abc456\")", "\"abc\""},
             {"regex(\"(\\\\d+)-(\\\\d+)\", \"10-20\")", "[\"10\", \"20\"]"},
             {"regex(\"(?P<major>\\\\d+)\\\\.(?P<minor>\\\\d+)\", \"v1.2\")",
              "{ major = \"1\", minor = \"2\" }"},
             {"regexall(\"[0-9]\", \"a1b2c3\")", "[\"1\", \"2\", \"3\"]"},
             {"regexall(\"x\", \"abc\")", "[]"},
             {"length(regexall(\"(a)(b)\", \"abab\"))", "2"}});
  CheckBad({{"regex(\"[a-z]+\", \"123\")", "E0412", "\"123\""},
            {"regex(\"(\", \"a\")", "E0412", "\"(\""},
            {"regexall(\"[\", \"a\")", "E0412", "\"[\""}});
}

TEST(FunctionsTest, Collection) {
  CheckGood({{"chunklist([1, 2, 3], 2)", "[[1, 2], [3]]"},
             {"coalesce(null, \"\", \"b\")", "\"b\""},
             {"coalesce(null, 2)", "2"},
             {"coalescelist([], [1, 2])", "[1, 2]"},
             {"compact([\"a\", \"\", null, \"b\"])", "[\"a\", \"b\"]"},
             {"concat([1], [2, 3], [])", "[1, 2, 3]"},
             {"concat([\"a\"], [1])", "[\"a\", 1]"},
             {"contains([\"a\", \"b\"], \"b\")", "true"},
             {"contains([1, 2], 3)", "false"},
             {"distinct([1, 2, 1, 3, 2])", "[1, 2, 3]"},
             {"element([\"a\", \"b\"], 3)", "\"b\""},
             {"flatten([[1, [2]], [], 3])", "[1, 2, 3]"},
             {"index([\"a\", \"b\"], \"b\")", "1"},
             {"keys({b = 1, a = 2})", "[\"a\", \"b\"]"},
             {"values({b = 1, a = 2})", "[2, 1]"},
             {"length([1, 2])", "2"},
             {"length({a = 1})", "1"},
             {"length(\"héllo\")", "5"},
             {"lookup({a = 1}, \"a\", 0)", "1"},
             {"lookup({a = 1}, \"b\", 0)", "0"},
             {"lookup({a = \"x\"}, \"a\")", "\"x\""},
             {"merge({a = 1, b = 2}, {b = 3}, null)", "{ a = 1, b = 3 }"},
             {"range(3)", "[0, 1, 2]"},
             {"range(1, 4)", "[1, 2, 3]"},
             {"range(10, 0, -4)", "[10, 6, 2]"},
             {"range(0, 1, 0.5)", "[0, 0.5]"},
             {"reverse([1, 2, 3])", "[3, 2, 1]"},
             {"setintersection([1, 2, 3], [2, 3, 4])", "[2, 3]"},
             {"setunion([\"b\"], [\"a\", \"b\"])", "[\"a\", \"b\"]"},
             {"setsubtract([1, 2, 3], [2])", "[1, 3]"},
             {"setproduct([\"a\", \"b\"], [1, 2])",
              "[[\"a\", \"1\"], [\"a\", \"2\"], [\"b\", \"1\"], [\"b\", \"2\"]]"},
             {"slice([1, 2, 3, 4], 1, 3)", "[2, 3]"},
             {"sort([\"b\", \"a\", \"c\"])", "[\"a\", \"b\", \"c\"]"},
             {"zipmap([\"a\", \"b\"], [1, 2])", "{ a = 1, b = 2 }"}});
  CheckBad({{"chunklist([1], -1)", "E0412", "-1"},
            {"coalesce(null, \"\")", "E0413", "coalesce(null, \"\")"},
            {"coalesce(1, true)", "E0413", "coalesce(1, true)"},
            {"compact([[1]])", "E0412", "[[1]]"},
            {"concat([1], 2)", "E0412", "2"},
            {"contains(\"abc\", \"a\")", "E0412", "\"abc\""},
            {"element([], 0)", "E0412", "[]"},
            {"element([1], -1)", "E0412", "-1"},
            {"flatten(\"a\")", "E0412", "\"a\""},
            {"index([1, 2], 3)", "E0412", "3"},
            {"keys([1])", "E0412", "[1]"},
            {"length(5)", "E0412", "5"},
            {"length(null)", "E0412", "null"},
            {"lookup({a = 1}, \"b\")", "E0412", "\"b\""},
            {"merge({}, [1])", "E0412", "[1]"},
            {"range(0, 5, 0)", "E0412", "0"},
            {"range(5, 0)", "E0413", "range(5, 0)"},
            {"reverse(toset([1]))", "E0412", "toset([1])"},
            {"slice([1, 2], 1, 5)", "E0412", "5"},
            {"slice([1, 2], 3, 3)", "E0412", "3"},
            {"sort([[1]])", "E0412", "[[1]]"},
            {"values(\"a\")", "E0412", "\"a\""},
            {"zipmap([\"a\"], [1, 2])", "E0413", "zipmap([\"a\"], [1, 2])"},
            {"setunion([1], 2)", "E0412", "2"}});
}

TEST(FunctionsTest, Conversion) {
  CheckGood({{"tostring(5)", "\"5\""},
             {"tostring(null)", "null"},
             {"tonumber(\"1.5\")", "1.5"},
             {"tobool(\"true\")", "true"},
             {"tolist([\"a\", \"b\"])", "[\"a\", \"b\"]"},
             {"toset([\"b\", \"a\", \"b\"])", "[\"a\", \"b\"]"},
             {"tomap({a = 1, b = \"x\"})", "{ a = \"1\", b = \"x\" }"}});
  CheckBad({{"tonumber(\"x\")", "E0412", "\"x\""},
            {"tobool(1)", "E0412", "1"},
            {"tostring([1])", "E0412", "[1]"},
            {"tolist({a = 1})", "E0412", "{a = 1}"},
            {"tomap([1])", "E0412", "[1]"},
            {"toset([1, true])", "E0412", "[1, true]"}});
  EvalFixture f;
  EXPECT_EQ(f.Eval("tolist([\"a\"])").type().ToString(), "list(string)");
  EXPECT_EQ(f.Eval("toset([1])").type().ToString(), "set(number)");
  EXPECT_EQ(f.Eval("tomap({a = 1})").type().ToString(), "map(number)");
}

TEST(FunctionsTest, Encoding) {
  CheckGood({{"base64encode(\"hello\")", "\"aGVsbG8=\""},
             {"base64encode(\"ab\")", "\"YWI=\""},
             {"base64decode(\"aGVsbG8=\")", "\"hello\""},
             {"csvdecode(\"a,b\\n1,2\\n\\\"x,y\\\",3\\n\")",
              "[{ a = \"1\", b = \"2\" }, { a = \"x,y\", b = \"3\" }]"},
             {"jsonencode({b = [1, \"x\"], a = null, c = \"<&>\"})",
              "\"{\\\"a\\\":null,\\\"b\\\":[1,\\\"x\\\"],\\\"c\\\":"
              "\\\"\\\\u003c\\\\u0026\\\\u003e\\\"}\""},
             {"jsondecode(\"{\\\"a\\\": [1, true]}\")", "{ a = [1, true] }"},
             {"urlencode(\"a b&c/d\")", "\"a+b%26c%2Fd\""},
             {"yamlencode({a = \"b\", c = [1, 2], d = {}})",
              "\"\\\"a\\\": \\\"b\\\"\\n\\\"c\\\":\\n- 1\\n- 2\\n\\\"d\\\": {}\\n\""},
             {"yamlencode({foo = [1, {a = \"b\", c = \"d\"}, [2, 3]], bar = \"baz\"})",
              "\"\\\"bar\\\": \\\"baz\\\"\\n\\\"foo\\\":\\n- 1\\n- \\\"a\\\": \\\"b\\\"\\n  "
              "\\\"c\\\": \\\"d\\\"\\n- - 2\\n  - 3\\n\""},
             {"yamldecode(yamlencode({foo = [1, {a = \"b\", n = null}, [2, [3]]], bar = \"b:z\"}))",
              "{ bar = \"b:z\", foo = [1, { a = \"b\", n = null }, [2, [3]]] }"},
             {"yamldecode(\"- a: 1\\n  b: x # comment\\n- 'it''s'\\n\")",
              "[{ a = 1, b = \"x\" }, \"it's\"]"},
             {"yamldecode(\"a: 1\\nb:\\n  - x\\n  - 'y'\\nc: {\\\"k\\\": true}\\n\")",
              "{ a = 1, b = [\"x\", \"y\"], c = { k = true } }"},
             {"md5(\"hello\")", "\"5d41402abc4b2a76b9719d911017c592\""},
             {"sha1(\"hello\")", "\"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\""},
             {"sha256(\"hello\")",
              "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\""}});
  CheckBad({{"base64decode(\"abc\")", "E0412", "\"abc\""},
            {"base64decode(\"a!==\")", "E0412", "\"a!==\""},
            {"csvdecode(\"a,b\\n1\\n\")", "E0412", "\"a,b\\n1\\n\""},
            {"jsondecode(\"{\")", "E0412", "\"{\""},
            {"yamldecode(\"a: &x 1\")", "E0412", "\"a: &x 1\""},
            {"md5([])", "E0412", "[]"}});
}

TEST(FunctionsTest, TimeUsesTheInjectedClock) {
  EvalFixture f;
  f.options.now_unix_nanos = int64_t{1700000000} * 1000000000 + 5;
  EXPECT_EQ(f.Eval("timestamp()").ToString(), "\"2023-11-14T22:13:20Z\"");
  EXPECT_TRUE(f.diags.diagnostics().empty()) << f.Errors();
  CheckGood(
      {{"timeadd(\"2024-02-28T23:00:00Z\", \"1h30m\")", "\"2024-02-29T00:30:00Z\""},
       {"timeadd(\"2024-01-01T00:00:00+02:00\", \"-1.5h\")", "\"2023-12-31T22:30:00+02:00\""},
       {"formatdate(\"YYYY-MM-DD hh:mm:ss ZZZ\", \"2018-01-02T23:12:01Z\")",
        "\"2018-01-02 23:12:01 UTC\""},
       {"formatdate(\"EEEE, DD-MMM-YY HH:mm AA 'o''clock'\", \"2018-01-02T23:12:01-08:00\")",
        "\"Tuesday, 02-Jan-18 11:12 PM o'clock\""},
       {"formatdate(\"MMMM D, h:m Z\", \"2000-07-04T05:06:07+05:30\")", "\"July 4, 5:6 +05:30\""}});
  CheckBad({{"timeadd(\"yesterday\", \"1h\")", "E0412", "\"yesterday\""},
            {"timeadd(\"2024-01-01T00:00:00Z\", \"1d\")", "E0412", "\"1d\""},
            {"formatdate(\"YYYY Q\", \"2024-01-01T00:00:00Z\")", "E0412", "\"YYYY Q\""},
            {"formatdate(\"YYYY\", \"2024-13-01T00:00:00Z\")", "E0412", "\"2024-13-01T00:00:00Z\""},
            {"timestamp(1)", "E0411", "timestamp(1)"}});
}

TEST(FunctionsTest, UuidsAreSeededAndStandard) {
  EvalFixture a, b, c;
  a.options.seed = b.options.seed = 42;
  c.options.seed = 43;
  std::string ua = a.Eval("uuidv4()").AsString();
  EXPECT_EQ(ua, b.Eval("uuidv4()").AsString());
  EXPECT_NE(ua, c.Eval("uuidv4()").AsString());
  Value two = a.Eval("[uuidv4(), uuidv4()]");  // each call draws anew
  EXPECT_NE(two.elements()[0].AsString(), two.elements()[1].AsString());
  ASSERT_EQ(ua.size(), 36u);
  EXPECT_EQ(ua[14], '4');
  CheckGood({{"uuidv5(\"dns\", \"www.example.com\")", "\"2ed6657d-e927-568b-95e1-2665a8aea6a2\""},
             {"uuidv5(\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\", \"www.example.com\")",
              "\"2ed6657d-e927-568b-95e1-2665a8aea6a2\""}});
  CheckBad({{"uuidv5(\"nope\", \"x\")", "E0412", "\"nope\""}});
}

TEST(FunctionsTest, Cidr) {
  CheckGood(
      {{"cidrhost(\"10.12.112.0/20\", 16)", "\"10.12.112.16\""},
       {"cidrhost(\"10.12.112.0/20\", 268)", "\"10.12.113.12\""},
       {"cidrhost(\"10.0.0.0/24\", -1)", "\"10.0.0.255\""},
       {"cidrhost(\"fd00:fd12:3456:7890:00a2::/72\", 34)", "\"fd00:fd12:3456:7890::22\""},
       {"cidrnetmask(\"172.16.0.0/12\")", "\"255.240.0.0\""},
       {"cidrsubnet(\"172.16.0.0/12\", 4, 2)", "\"172.18.0.0/16\""},
       {"cidrsubnet(\"10.1.2.0/24\", 4, 15)", "\"10.1.2.240/28\""},
       {"cidrsubnet(\"fd00:fd12:3456:7890::/56\", 16, 162)", "\"fd00:fd12:3456:7800:a200::/72\""},
       {"cidrsubnets(\"10.1.0.0/16\", 4, 4, 8, 4)",
        "[\"10.1.0.0/20\", \"10.1.16.0/20\", \"10.1.32.0/24\", \"10.1.48.0/20\"]"}});
  CheckBad({{"cidrhost(\"10.0.0.0/24\", 256)", "E0412", "256"},
            {"cidrhost(\"10.0.0.300/24\", 1)", "E0412", "\"10.0.0.300/24\""},
            {"cidrnetmask(\"::/64\")", "E0412", "\"::/64\""},
            {"cidrsubnet(\"10.0.0.0/30\", 4, 0)", "E0412", "4"},
            {"cidrsubnet(\"10.0.0.0/16\", 2, 4)", "E0412", "4"},
            {"cidrsubnets(\"10.0.0.0/24\", 1, 1, 1)", "E0412", "1"}});
}

TEST(FunctionsTest, FileReadsThroughTheReaderInsideTheJobDirectory) {
  EvalFixture f;
  f.options.base_dir = "/jobs/web";
  f.files.files["/jobs/web/conf/app.conf"] = "port = 80\n";
  f.files.files["/etc/shared/x.txt"] = "shared";
  EXPECT_EQ(f.Eval("file(\"conf/app.conf\")").ToString(), "\"port = 80\\n\"");
  EXPECT_EQ(f.Eval("file(\"./conf/../conf/app.conf\")").ToString(), "\"port = 80\\n\"");
  EXPECT_EQ(f.Eval("fileexists(\"conf/app.conf\")").ToString(), "true");
  EXPECT_EQ(f.Eval("fileexists(\"conf/none\")").ToString(), "false");
  EXPECT_TRUE(f.diags.diagnostics().empty()) << f.Errors();

  f.Eval("file(\"../other/secret\")");
  EXPECT_EQ(f.OnlyCode(), "E0412");
  EXPECT_EQ(f.PointsAt(), "\"../other/secret\"");
  EXPECT_EQ(f.files.reads.size(), 4u);  // the refused path was never read

  EvalFixture g;
  g.options.base_dir = "/jobs/web";
  g.options.allowed_paths = {"/etc/shared"};
  g.files.files["/etc/shared/x.txt"] = "shared";
  EXPECT_EQ(g.Eval("file(\"/etc/shared/x.txt\")").ToString(), "\"shared\"");
  g.Eval("file(\"/etc/passwd\")");
  EXPECT_EQ(g.OnlyCode(), "E0412");

  EvalFixture h;
  h.Eval("file(\"missing.txt\")");
  EXPECT_EQ(h.OnlyCode(), "E0412");
  EXPECT_NE(h.Message().find("no such file"), std::string::npos);

  EvalFixture off;
  off.options.allow_fs = false;
  off.Eval("file(\"a\")");
  EXPECT_EQ(off.OnlyCode(), "E0413");
}

TEST(FunctionsTest, NomadSpecificFunctions) {
  CheckGood(
      {{"regex_replace(\"a1b22\", \"[0-9]+\", \"<$0>\")", "\"a<1>b<22>\""},
       {"regex_replace(\"k=v\", \"(\\\\w)=(\\\\w)\", \"$${2}=$${1}\")", "\"v=k\""},
       {"strlen(\"héllo\")", "5"},
       {"convert([\"a\", \"b\"], set(string))", "[\"a\", \"b\"]"},
       {"convert({a = 1}, map(string))", "{ a = \"1\" }"},
       {"sha512(\"hello\")",
        "\"9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7"
        "acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043\""}});
  CheckBad({{"regex_replace(\"a\", \"(\", \"b\")", "E0412", "\"(\""},
            {"convert([\"a\", [1]], list(string))", "E0412", "[1]"},
            {"convert(1, strin)", "E0409", "strin"},
            {"convert(1)", "E0411", "convert(1)"}});
  EvalFixture f;
  EXPECT_EQ(f.Eval("convert([1], list(number))").type().ToString(), "list(number)");
  f.files.files["bin.dat"] = std::string("\x00\x01\xff", 3);
  EXPECT_EQ(f.Eval("filebase64(\"bin.dat\")").ToString(), "\"AAH/\"");
  EXPECT_TRUE(f.diags.diagnostics().empty()) << f.Errors();
}

TEST(FunctionsTest, RegistryListsEveryFunctionOnce) {
  auto names = FunctionNames();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  for (auto n : {"abs", "format", "cidrsubnets", "yamlencode", "try", "can", "uuidv5", "file"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
}

}  // namespace
}  // namespace drover::eval
