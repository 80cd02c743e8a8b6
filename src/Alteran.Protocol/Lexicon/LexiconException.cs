namespace Alteran.Protocol.Lexicon;

/// <summary>A lexicon document is malformed: bad JSON, bad <c>lexicon</c> version or <c>id</c>, or a bad definition.</summary>
public sealed class LexiconException : Exception
{
    /// <summary>Creates the exception with a message naming the offending place (e.g. <c>defs/main/record</c>).</summary>
    public LexiconException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public LexiconException(string message, Exception inner) : base(message, inner) { }
}
