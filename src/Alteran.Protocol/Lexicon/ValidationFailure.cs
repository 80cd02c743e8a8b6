using System.Text;

namespace Alteran.Protocol.Lexicon;

/// <summary>
/// The reason a value failed validation, with the path collected while the recursion unwinds
/// (innermost segment first). Created only on failure, so a valid record costs no allocation for paths.
/// </summary>
internal sealed class ValidationFailure(string message)
{
    private readonly List<string> _segments = [];

    public string Message { get; } = message;

    public void Push(string segment) => _segments.Add(segment);

    public void Push(int index) => _segments.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Renders <c>Root/a/b message</c>.</summary>
    public string Render(string root)
    {
        var sb = new StringBuilder(root);
        for (int i = _segments.Count - 1; i >= 0; i--)
            sb.Append('/').Append(_segments[i]);
        return sb.Append(' ').Append(Message).ToString();
    }
}
