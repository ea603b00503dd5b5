import Foundation
import HTTPClient
@testable import Signer
import Testing

@Suite struct KMSConfigurationTests {
    static let base = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]

    @Test func regionComesFromTheARNFirst() throws {
        var env = Self.base
        env["AWS_REGION"] = "eu-west-1"
        let c = try KMSConfiguration.fromEnvironment(env, keyID: "arn:aws:kms:ap-south-1:111122223333:key/abc")
        #expect(c.region == "ap-south-1")
        #expect(c.endpoint == "https://kms.ap-south-1.amazonaws.com")
        #expect(c.keyID == "arn:aws:kms:ap-south-1:111122223333:key/abc")
    }

    @Test func regionFallsBackToAWSRegionThenAWSDefaultRegion() throws {
        var env = Self.base
        env["AWS_DEFAULT_REGION"] = "us-west-2"
        #expect(try KMSConfiguration.fromEnvironment(env, keyID: "abc").region == "us-west-2")
        env["AWS_REGION"] = "eu-central-1"
        #expect(try KMSConfiguration.fromEnvironment(env, keyID: "abc").region == "eu-central-1")
    }

    @Test func aKeyIDWithoutARegionIsAnError() async {
        let error = await signerError { _ = try KMSConfiguration.fromEnvironment(Self.base, keyID: "abc") }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("AWS_REGION or AWS_DEFAULT_REGION") == true)
    }

    @Test(arguments: ["arn:aws:kms:us-east-1:111122223333", "arn:aws:s3:us-east-1:111122223333:key/abc",
                      "arn:aws:kms::111122223333:key/abc", "arn:aws:kms:us-east-1:111122223333:thing/abc"])
    func malformedARNsAreErrors(arn: String) async {
        let error = await signerError { _ = try KMSConfiguration.fromEnvironment(Self.base, keyID: arn) }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("is not a KMS key ARN") == true)
    }

    @Test func aliasARNsAndChinaPartitionWork() throws {
        let c = try KMSConfiguration.fromEnvironment(Self.base, keyID: "arn:aws-cn:kms:cn-north-1:111122223333:alias/sequencer")
        #expect(c.endpoint == "https://kms.cn-north-1.amazonaws.com.cn")
    }

    @Test func endpointOverridesPreferTheKMSSpecificOne() throws {
        var env = Self.base
        env["AWS_REGION"] = "us-east-1"
        env["AWS_ENDPOINT_URL"] = "http://localhost:4566"
        #expect(try KMSConfiguration.fromEnvironment(env, keyID: "k").endpoint == "http://localhost:4566")
        env["AWS_ENDPOINT_URL_KMS"] = "http://127.0.0.1:9999"
        #expect(try KMSConfiguration.fromEnvironment(env, keyID: "k").endpoint == "http://127.0.0.1:9999")
        env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        #expect(try KMSConfiguration.fromEnvironment(env, keyID: "k").endpoint == "https://kms.us-east-1.amazonaws.com")
    }

    @Test func environmentCredentialsWinAndCarryTheSessionToken() throws {
        var env = Self.base
        env["AWS_REGION"] = "us-east-1"
        env["AWS_SESSION_TOKEN"] = "token"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent"
        let c = try KMSConfiguration.fromEnvironment(env, keyID: "k")
        #expect(c.credentials == AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "token"))
        #expect(!"\(c.credentials)".contains("env-secret"))
        #expect(!"\(c.credentials)".contains("token)"))
    }

    @Test func halfSetEnvironmentCredentialsAreAnError() async {
        let error = await signerError {
            _ = try KMSConfiguration.fromEnvironment(["AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "A"], keyID: "k")
        }
        #expect(error?.message == "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    }

    static func credentialsFile() throws -> String {
        let path = try KeyFileTests.temporaryDirectory() + "/credentials"
        try """
            # comment
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = default-secret

            [ci]
            aws_access_key_id=AKIDCI
            aws_secret_access_key=ci-secret
            aws_session_token = ci-token
            ; another comment
            [broken]
            aws_access_key_id = AKIDBROKEN
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func sharedCredentialsFileDefaultAndNamedProfiles() throws {
        let path = try Self.credentialsFile()
        var env = ["AWS_REGION": "us-east-1", "AWS_SHARED_CREDENTIALS_FILE": path]
        let d = try KMSConfiguration.fromEnvironment(env, keyID: "k")
        #expect(d.credentials == AWSCredentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: "default-secret"))
        #expect(d.credentialSource == "shared credentials file \(path), profile default")
        env["AWS_PROFILE"] = "ci"
        let ci = try KMSConfiguration.fromEnvironment(env, keyID: "k")
        #expect(ci.credentials == AWSCredentials(accessKeyID: "AKIDCI", secretAccessKey: "ci-secret", sessionToken: "ci-token"))
    }

    @Test func homeDirectoryCredentialsFile() throws {
        let home = try KeyFileTests.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Self.credentialsFile(), toPath: home + "/.aws/credentials")
        let c = try KMSConfiguration.fromEnvironment(["AWS_REGION": "us-east-1", "HOME": home], keyID: "k")
        #expect(c.credentials.accessKeyID == "AKIDDEFAULT")
    }

    @Test func credentialsFileProblemsAreNamed() async throws {
        let path = try Self.credentialsFile()
        let missingProfile = await signerError {
            _ = try KMSConfiguration.fromEnvironment(["AWS_REGION": "r", "AWS_SHARED_CREDENTIALS_FILE": path, "AWS_PROFILE": "nope"], keyID: "k")
        }
        #expect(missingProfile?.message.contains("has no profile [nope]") == true)
        let incomplete = await signerError {
            _ = try KMSConfiguration.fromEnvironment(["AWS_REGION": "r", "AWS_SHARED_CREDENTIALS_FILE": path, "AWS_PROFILE": "broken"], keyID: "k")
        }
        #expect(incomplete?.message == "profile [broken] in \(path) has no aws_secret_access_key")
        let noFile = await signerError {
            _ = try KMSConfiguration.fromEnvironment(["AWS_REGION": "r", "AWS_SHARED_CREDENTIALS_FILE": path + ".absent"], keyID: "k")
        }
        #expect(noFile?.message.contains("cannot be read") == true)
    }

    @Test func defaultTimeoutsStayWellBelowASecond() throws {
        let c = try KMSConfiguration.fromEnvironment(["AWS_REGION": "r", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"], keyID: "k")
        #expect(c.connectTimeout == .milliseconds(300))
        #expect(c.requestTimeout == .milliseconds(700))
    }

    @Test func backoffGrowsAndStaysWithinItsBounds() {
        let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100))
        var rng = SystemRandomNumberGenerator()
        for attempt in 1...6 {
            let ceiling = min(Duration.milliseconds(20 * (1 << (attempt - 1))), .milliseconds(100))
            for _ in 0..<50 {
                let wait = policy.backoff(afterAttempt: attempt, using: &rng)
                #expect(wait <= ceiling && wait >= ceiling / 2)
            }
        }
    }
}

@Suite struct SignerSelectionTests {
    @Test func bothSignerFlagsAreRefused() async {
        let error = await signerError { _ = try SignerConfiguration.selectBackend(keyFile: "k", awsKMSKeyID: "id", testMode: false) }
        #expect(error?.message == "--signer.key-file and --signer.aws-kms-key-id are mutually exclusive: give exactly one signer")
        let inTest = await signerError { _ = try SignerConfiguration.selectBackend(keyFile: "k", awsKMSKeyID: "id", testMode: true) }
        #expect(inTest?.code == .configuration)
    }

    @Test func noSignerWithoutTestModeIsRefused() async {
        let error = await signerError { _ = try SignerConfiguration.selectBackend(keyFile: nil, awsKMSKeyID: nil, testMode: false) }
        #expect(error?.message.contains("no block signer configured: give --signer.key-file or --signer.aws-kms-key-id (or --test") == true)
    }

    @Test func selections() throws {
        #expect(try SignerConfiguration.selectBackend(keyFile: nil, awsKMSKeyID: nil, testMode: true) == .testKey)
        #expect(try SignerConfiguration.selectBackend(keyFile: "/k", awsKMSKeyID: nil, testMode: false) == .keyFile(path: "/k"))
        #expect(try SignerConfiguration.selectBackend(keyFile: nil, awsKMSKeyID: "id", testMode: true) == .awsKMS(keyID: "id"))
    }
}
