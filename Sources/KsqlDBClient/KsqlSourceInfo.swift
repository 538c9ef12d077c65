/// One line of `LIST STREAMS` / `LIST TABLES`: a source's name, kind, topic and formats.
package struct KsqlSourceInfo: Equatable, Sendable {
    package var name: String
    package var kind: KsqlSourceKind
    package var topic: String
    package var keyFormat: String
    package var valueFormat: String
    package var isWindowed: Bool

    package init(name: String, kind: KsqlSourceKind, topic: String, keyFormat: String, valueFormat: String,
                 isWindowed: Bool) {
        self.name = name
        self.kind = kind
        self.topic = topic
        self.keyFormat = keyFormat
        self.valueFormat = valueFormat
        self.isWindowed = isWindowed
    }
}
