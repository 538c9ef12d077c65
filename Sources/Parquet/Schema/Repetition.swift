/// Whether a schema node must appear, may be null, or repeats (parquet.thrift FieldRepetitionType).
public enum Repetition: Int32, Sendable, Hashable {
    case required = 0, optional = 1, repeated = 2

    public var name: String {
        switch self {
        case .required: return "required"
        case .optional: return "optional"
        case .repeated: return "repeated"
        }
    }
}
