// AWS credentials and region, found where the aws cli finds them (first match wins):
//   credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); then
//     the profile (AWS_PROFILE, else "default") in AWS_SHARED_CREDENTIALS_FILE
//     (~/.aws/credentials); then in AWS_CONFIG_FILE (~/.aws/config).
//   region: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region` in the config file,
//     else us-east-1.
// In ~/.aws/config a profile's section is "[profile NAME]" ("[default]" for default).
// SSO, credential_process and instance roles are not read.
#pragma once

#include <string>

#include "core/env.h"
#include "net/sigv4.h"

namespace lq::net {

Result<AwsCredentials> LoadAwsCredentials(Env* env);
std::string LoadAwsRegion(Env* env);

}  // namespace lq::net
