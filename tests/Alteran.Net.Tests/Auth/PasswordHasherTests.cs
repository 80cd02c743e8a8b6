using Alteran.Net.Auth;

namespace Alteran.Net.Tests.Auth;

public class PasswordHasherTests
{
    // Cheap parameters keep the suite fast; one test runs the production default.
    private static readonly PasswordHashParameters Cheap = new(64, 1, 1);

    // Known answers from the Argon2 reference implementation (libargon2.so.1, argon2id_hash_encoded), salt 00..0f.
    private const string DefaultVector =
        "$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$gYJZtjEAJqjg26xdLmknq8/bB7MiWPrE9hsYuA+SkIU";
    private const string CheapVector =
        "$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I";

    [Fact]
    public void DefaultParametersMatchTheReferenceImplementation()
    {
        using var hasher = new PasswordHasher();
        Assert.Equal(new PasswordHashParameters(19456, 2, 1), hasher.Parameters);
        Assert.Equal(PasswordVerification.Success, hasher.Verify("correct horse battery staple", DefaultVector));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify("correct horse battery stapl", DefaultVector));
        string hash = hasher.Hash("correct horse battery staple");
        Assert.Matches(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", hash);
        Assert.False(hasher.NeedsRehash(hash));
    }

    [Fact]
    public void NonAsciiPasswordsAreHashedAsUtf8()
    {
        using var hasher = new PasswordHasher(Cheap);
        Assert.Equal(PasswordVerification.Success, hasher.Verify("pässwörd🔑", CheapVector));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify("passwörd🔑", CheapVector));
    }

    [Fact]
    public async Task HashThenVerify()
    {
        using var hasher = new PasswordHasher(Cheap);
        string a = await hasher.HashAsync("hunter2");
        string b = await hasher.HashAsync("hunter2");
        Assert.NotEqual(a, b); // fresh salt every time
        Assert.Equal(PasswordVerification.Success, await hasher.VerifyAsync("hunter2", a));
        Assert.Equal(PasswordVerification.Success, await hasher.VerifyAsync("hunter2", b));
        Assert.Equal(PasswordVerification.Failed, await hasher.VerifyAsync("hunter3", a));
        Assert.Equal(PasswordVerification.Failed, await hasher.VerifyAsync("", a));
        Assert.Equal(hasher.MaxConcurrency, hasher.AvailableSlots);
    }

    [Fact]
    public async Task UnknownAccountAlwaysFails()
    {
        using var hasher = new PasswordHasher(Cheap);
        Assert.Equal(PasswordVerification.Failed, await hasher.VerifyUnknownAccountAsync("anything"));
        Assert.Equal(PasswordVerification.Failed, await hasher.VerifyUnknownAccountAsync(""));
        Assert.Equal(hasher.MaxConcurrency, hasher.AvailableSlots);
    }

    [Fact]
    public void ParameterChangeAsksForRehash()
    {
        using var cheap = new PasswordHasher(Cheap);
        using var stronger = new PasswordHasher(new PasswordHashParameters(128, 2, 1));
        string old = cheap.Hash("hunter2");
        Assert.False(cheap.NeedsRehash(old));
        Assert.True(stronger.NeedsRehash(old));
        Assert.Equal(PasswordVerification.SuccessRehashNeeded, stronger.Verify("hunter2", old));
        Assert.Equal(PasswordVerification.Failed, stronger.Verify("hunter3", old));
        Assert.True(cheap.NeedsRehash("not a hash"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=16$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$t=1,m=64,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=064,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=+64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=2$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=64,t=0,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=4,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=99999999,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=64,t=99,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw==$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODx$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0O$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ-3vlTWQ9_I")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I$")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1,k=1$AAECAwQFBgcICQoLDA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$AAECAwQFBgcICQoL DA0ODw$RRLQ3JiSenHa0HGVlXOkexX40E3YUhzHQ/3vlTWQ9/I")]
    public void MalformedStoredHashesNeverVerify(string stored)
    {
        using var hasher = new PasswordHasher(Cheap);
        Assert.Equal(PasswordVerification.Failed, hasher.Verify("pässwörd🔑", stored));
        Assert.True(hasher.NeedsRehash(stored));
    }

    [Fact]
    public void EveryPrefixOfAValidHashIsRefused()
    {
        using var hasher = new PasswordHasher(Cheap);
        for (int i = 0; i < CheapVector.Length; i++)
            Assert.Equal(PasswordVerification.Failed, hasher.Verify("pässwörd🔑", CheapVector[..i]));
    }

    [Fact]
    public void InputBoundsAreEnforced()
    {
        using var hasher = new PasswordHasher(Cheap);
        Assert.Throws<ArgumentException>(() => hasher.Hash(""));
        Assert.Throws<ArgumentException>(() => hasher.Hash(new string('a', PasswordHasher.MaxPasswordBytes + 1)));
        Assert.Throws<ArgumentException>(() => hasher.Hash(new string('é', PasswordHasher.MaxPasswordBytes / 2 + 1)));
        string max = new('a', PasswordHasher.MaxPasswordBytes);
        string hash = hasher.Hash(max);
        Assert.Equal(PasswordVerification.Success, hasher.Verify(max, hash));
        Assert.Equal(PasswordVerification.Failed, hasher.Verify(max + "a", hash));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(new PasswordHashParameters(64, 1, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(Cheap, 0));
    }

    [Fact]
    public async Task GateBoundsConcurrencyAndIsReleased()
    {
        using var hasher = new PasswordHasher(Cheap, maxConcurrency: 1);
        Assert.Equal(1, hasher.MaxConcurrency);
        var hashes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => hasher.HashAsync($"pw{i}").AsTask()));
        Assert.Equal(8, hashes.Distinct().Count());
        Assert.Equal(1, hasher.AvailableSlots);

        // A cancelled wait leaves the gate intact.
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hasher.HashAsync("x", cts.Token).AsTask());
        Assert.Equal(1, hasher.AvailableSlots);
        Assert.Equal(PasswordVerification.Success, await hasher.VerifyAsync("pw3", hashes[3]));
    }
}
