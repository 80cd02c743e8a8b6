namespace Alteran.Load.Xrpc;

/// <summary>createSession was refused: the run stops, since every later phase would only measure 401s.</summary>
internal sealed class LoginFailedException(string message) : Exception(message);
