import KMSTestServer
import Testing

/// The fake KMS server's own SHA-256, HMAC-SHA256 and SigV4 code, checked against published
/// vectors (FIPS 180-4 examples, RFC 4231, and the AWS S3 SigV4 documentation example) before
/// anything relies on it.
@Suite struct HashVectorTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesFIPSExamples(input: String, expected: String) {
        #expect(SigV4Verifier.hex(SHA256.hash(Array(input.utf8))) == expected)
    }

    @Test func sha256OfAMillionAs() {
        #expect(SigV4Verifier.hex(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    // RFC 4231 test cases 1, 2, 4, 6 and 7 (case 5 is a truncated MAC, case 3 is covered by 4).
    @Test(arguments: [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ((1...25).map { UInt8($0) }, [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func hmacMatchesRFC4231(key: [UInt8], message: [UInt8], expected: String) {
        #expect(SigV4Verifier.hex(HMACSHA256.authenticate(message, key: key)) == expected)
    }

    /// From the AWS S3 API reference, "Authenticating Requests: Using the Authorization Header
    /// (AWS Signature Version 4)", example "GET Object" (canonical request, its hash and the
    /// final signature are all printed there).
    @Test func sigV4MatchesTheAWSDocumentationExample() {
        let canonicalRequest = """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """
        #expect(SigV4Verifier.hex(SHA256.hash(Array(canonicalRequest.utf8)))
            == "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
        let signature = SigV4Verifier.signature(
            secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", date: "20130524", region: "us-east-1", service: "s3",
            amzDate: "20130524T000000Z", canonicalRequest: canonicalRequest)
        #expect(signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func sigV4VerifierAcceptsTheDocumentationRequestAndRejectsATamperedOne() {
        let verifier = SigV4Verifier(region: "us-east-1", service: "s3",
                                     credentials: ["AKIAIOSFODNN7EXAMPLE": .init(secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")])
        let authorization = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        var headers: [(String, String)] = [
            ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("x-amz-date", "20130524T000000Z"), ("Authorization", authorization),
        ]
        let now = SigV4VerifierTestHook.epoch("20130524T000100Z")
        #expect(verifier.verify(method: "GET", path: "/test.txt", query: "", headers: headers, body: [], now: now) == nil)
        headers[1].1 = "bytes=0-10"
        #expect(verifier.verify(method: "GET", path: "/test.txt", query: "", headers: headers, body: [], now: now)?.type
            == "InvalidSignatureException")
    }
}
