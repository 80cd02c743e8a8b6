namespace Alteran.Protocol.Lexicon;

/// <summary>How a record validation ended.</summary>
public enum LexiconValidationStatus
{
    /// <summary>The record matches its schema.</summary>
    Valid,
    /// <summary>The record does not match; <see cref="LexiconValidationResult.Message"/> says where and why.</summary>
    Invalid,
    /// <summary>No record schema is known for the collection (the caller decides whether that is an error).</summary>
    LexiconNotFound,
}

/// <summary>
/// The outcome of validating a record or record key. <see cref="Message"/> names the path, in the form clients
/// expect in an XRPC <c>InvalidRecord</c> error, e.g. <c>Record/embed/images/0/alt must be a string</c>.
/// </summary>
public readonly struct LexiconValidationResult
{
    private LexiconValidationResult(LexiconValidationStatus status, string? message)
    {
        Status = status;
        Message = message;
    }

    /// <summary>The result of a successful validation.</summary>
    public static LexiconValidationResult Valid => default;

    /// <summary>How the validation ended.</summary>
    public LexiconValidationStatus Status { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="LexiconValidationStatus.Valid"/>.</summary>
    public bool IsValid => Status == LexiconValidationStatus.Valid;

    /// <summary>Why validation failed; null when valid.</summary>
    public string? Message { get; }

    internal static LexiconValidationResult Invalid(string message) => new(LexiconValidationStatus.Invalid, message);

    internal static LexiconValidationResult NotFound(string collection) =>
        new(LexiconValidationStatus.LexiconNotFound, "Lexicon not found: " + collection);

    /// <inheritdoc/>
    public override string ToString() => IsValid ? "Valid" : $"{Status}: {Message}";
}
