/// STREAM or TABLE, as ksqlDB names them in LIST and DESCRIBE.
package enum EmulatorSourceKind: String, Sendable {
    case stream = "STREAM"
    case table = "TABLE"
}
