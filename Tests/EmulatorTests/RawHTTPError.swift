/// Why a raw-socket exchange in a test failed.
enum RawHTTPError: Error {
    case socket(String)
    case malformed(String)
}
