/// A statement with the exact text ksqlDB echoes as `statementText` (from its first token to `;`).
struct SQLParsedStatement {
    var statement: SQLStatement
    var text: String
}
