using Alteran.Net.Auth;

namespace Alteran.Net.Tests.Auth;

public class AppPasswordTests
{
    [Fact]
    public void GeneratedPasswordsHaveTheReferenceShape()
    {
        var seen = new HashSet<string>();
        var charsSeen = new HashSet<char>();
        for (int i = 0; i < 2000; i++)
        {
            string pw = AppPassword.Generate();
            Assert.Matches("^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$", pw);
            Assert.True(AppPassword.IsWellFormed(pw));
            Assert.True(seen.Add(pw));
            charsSeen.UnionWith(pw.Replace("-", ""));
        }
        Assert.Equal(32, charsSeen.Count); // the whole base32 alphabet shows up
    }

    [Theory]
    [InlineData("abcd-efgh-ijkl-mnop", true)]
    [InlineData("2345-6777-aaaa-zzzz", true)]
    [InlineData("abcd-efgh-ijkl-mno", false)]
    [InlineData("abcd-efgh-ijkl-mnopq", false)]
    [InlineData("abcdefgh-ijkl-mnop-", false)]
    [InlineData("ABCD-efgh-ijkl-mnop", false)]
    [InlineData("abc1-efgh-ijkl-mnop", false)]
    [InlineData("abc8-efgh-ijkl-mnop", false)]
    [InlineData("abcd_efgh_ijkl_mnop", false)]
    [InlineData("", false)]
    public void WellFormedness(string candidate, bool expected) => Assert.Equal(expected, AppPassword.IsWellFormed(candidate));

    [Theory]
    [InlineData("phone", true)]
    [InlineData("My Laptop ✨", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("tab\tname", false)]
    public void NameValidation(string name, bool expected) => Assert.Equal(expected, AppPassword.IsValidName(name));

    [Fact]
    public async Task CreateAndFindMatch()
    {
        using var hasher = new PasswordHasher(new PasswordHashParameters(64, 1, 1));
        var (pw1, e1) = await AppPassword.CreateAsync(hasher, "phone", privileged: false);
        var (pw2, e2) = await AppPassword.CreateAsync(hasher, "chat client", privileged: true);
        Assert.False(e1.Privileged);
        Assert.True(e2.Privileged);
        Assert.DoesNotContain(pw1, e1.PasswordHash);
        var entries = new[] { e1, e2 };
        Assert.Same(e1, await AppPassword.FindMatchAsync(hasher, pw1, entries));
        Assert.Same(e2, await AppPassword.FindMatchAsync(hasher, pw2, entries));
        Assert.Null(await AppPassword.FindMatchAsync(hasher, AppPassword.Generate(), entries));
        Assert.Null(await AppPassword.FindMatchAsync(hasher, "not-an-app-password", entries));
        Assert.Equal(AuthScope.AppPass, AppPassword.ScopeFor(e1.Privileged));
        Assert.Equal(AuthScope.AppPassPrivileged, AppPassword.ScopeFor(e2.Privileged));
        await Assert.ThrowsAsync<ArgumentException>(() => AppPassword.CreateAsync(hasher, "", false).AsTask());
    }
}
