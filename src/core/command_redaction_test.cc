#include "core/command_redaction.h"

#include <gtest/gtest.h>

namespace lq {
namespace {

struct RedactCase {
  const char* in;
  const char* want;
};

const RedactCase kCases[] = {
    // Nothing secret: every byte kept, quoting included.
    {"make -j8", "make -j8"},
    {"ctest --output-on-failure -R 'a b'", "ctest --output-on-failure -R 'a b'"},
    {"git commit -m 'fix the password prompt'", "git commit -m 'fix the password prompt'"},
    {"curl https://example.com/api?page=2", "curl https://example.com/api?page=2"},
    {"docker login --password-stdin", "docker login --password-stdin"},
    {"tool --token-file /run/secrets/t --no-password", "tool --token-file /run/secrets/t --no-password"},
    {"git log --author bob", "git log --author bob"},
    {"env PWD=/src HOME=/root make", "env PWD=/src HOME=/root make"},
    {"psql -p 5432 -h db", "psql -p 5432 -h db"},
    {"sort --key=2", "sort --key=2"},
    {"", ""},
    // URL credentials (the git remote rule: userinfo, query and fragment go).
    {"git clone https://bob:ghp_TOKEN@github.com/x.git", "git clone https://github.com/x.git"},
    {"tool --repo=https://bob:hunter2@host/r", "tool --repo=https://host/r"},
    {"curl 'https://api.example.com/v1?access_token=abc123&page=2'",
     "curl 'https://api.example.com/v1?access_token=***&page=2'"},
    // --opt=value and --opt value.
    {"tool --password=hunter2 x", "tool --password=*** x"},
    {"tool --password hunter2 x", "tool --password *** x"},
    {"tool --passwd=a --token b --secret=c --api-key d --apikey=e --access-key f --client-secret=g",
     "tool --passwd=*** --token *** --secret=*** --api-key *** --apikey=*** --access-key *** --client-secret=***"},
    {"tool --auth u:p --auth-token=t --github-token q", "tool --auth *** --auth-token=*** --github-token ***"},
    {"tool --API_KEY=Z", "tool --API_KEY=***"},
    {"java -Djavax.net.ssl.keyStorePassword=changeit -jar a.jar",
     "java -Djavax.net.ssl.keyStorePassword=*** -jar a.jar"},
    {"openssl enc -pass pass:xyz", "openssl enc -pass ***"},
    // -p only where it means a password.
    {"mysql -uroot -phunter2 db", "mysql -uroot -p*** db"},
    {"sudo mysqldump -psecret db", "sudo mysqldump -p*** db"},
    {"sshpass -p hunter2 ssh host", "sshpass -p *** ssh host"},
    {"mkdir -p build", "mkdir -p build"},
    {"gcc -pthread -psecretive -pipe x.c", "gcc -pthread -psecretive -pipe x.c"},
    {"keytool -storepass:file f -password hunter2", "keytool -storepass:file f -password ***"},
    {"sh -c 'echo a:b; grep -c secret: log'", "sh -c 'echo a:b; grep -c secret: log'"},
    {"curl -u bob:hunter2 https://h/", "curl -u bob:*** https://h/"},
    // KEY=value with a secret-looking name.
    {"env GITHUB_TOKEN=abc AWS_SECRET_ACCESS_KEY=def CC=clang make",
     "env GITHUB_TOKEN=*** AWS_SECRET_ACCESS_KEY=*** CC=clang make"},
    {"docker run -e DB_PASSWORD=x -e NPM_API_KEY=y img", "docker run -e DB_PASSWORD=*** -e NPM_API_KEY=*** img"},
    {"kubectl create secret generic s --from-literal=password=abc",
     "kubectl create secret generic s --from-literal=password=***"},
    {"make GOOGLE_CREDENTIALS=j SSH_PRIVATE_KEY=k AWS_SHARED_CREDENTIALS_FILE=/p",
     "make GOOGLE_CREDENTIALS=*** SSH_PRIVATE_KEY=*** AWS_SHARED_CREDENTIALS_FILE=/p"},
    // Authorization headers.
    {"curl -H 'Authorization: Bearer abc.def' https://h/", "curl -H 'Authorization: Bearer ***' https://h/"},
    {"curl -H \"Authorization: token ghp_x\" https://h/", "curl -H 'Authorization: token ***' https://h/"},
    {"curl --header 'X-Api-Key: k1' https://h/", "curl --header 'X-Api-Key: ***' https://h/"},
    {"http GET h 'Bearer abc'", "http GET h 'Bearer ***'"},
    {"tool --header Bearer abc", "tool --header Bearer ***"},
    // Scripts: sh -c '...' is redacted by the same rules.
    {"sh -c 'mysql -psecret db && curl -u a:b https://h/'", "sh -c 'mysql -p*** db && curl -u a:*** https://h/'"},
    {"/bin/sh -c 'TOKEN=abc ./deploy.sh --password \"p w\"'", "/bin/sh -c 'TOKEN=*** ./deploy.sh --password ***'"},
};

TEST(RedactCommandLineTest, Table) {
  for (const RedactCase& c : kCases) {
    EXPECT_EQ(RedactCommandLine(c.in), c.want) << "input: " << c.in;
  }
}

TEST(RedactCommandLineTest, IsIdempotent) {
  for (const RedactCase& c : kCases) {
    EXPECT_EQ(RedactCommandLine(c.want), c.want) << "input: " << c.want;
  }
}

TEST(LooksLikeSecretNameTest, NamesAndNonNames) {
  for (const char* yes : {"password", "DB_PASSWORD", "token", "GITHUB_TOKEN", "api-key", "client_secret", "auth",
                          "x-auth-token", "PRIVATE_KEY", "credentials", "passwd"}) {
    EXPECT_TRUE(LooksLikeSecretName(yes)) << yes;
  }
  for (const char* no : {"author", "tokenizer", "key", "password-file", "token_file", "no-password", "PWD",
                         "passthrough", "auth-type", "HOME", ""}) {
    EXPECT_FALSE(LooksLikeSecretName(no)) << no;
  }
}

}  // namespace
}  // namespace lq
