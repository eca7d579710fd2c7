using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Routing;

namespace AlertRelay.Tests.Routing;

/// <summary>Tests for <see cref="RoutingStage"/>: Alertmanager's depth-first route walk (dispatch/route.go, dispatch/route_test.go).</summary>
public sealed class RoutingStageTests
{
    private static readonly Route Tree = RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: root
          routes:
            - matchers: ['owner="team-A"']
              receiver: team-A
              routes:
                - matchers: ['env="testing"']
                  receiver: team-A-testing
                - matchers: ['env="production"']
                  receiver: team-A-production
                  continue: true
                - matchers: ['env=~"prod.*"']
                  receiver: team-A-prod-regex
            - matchers: ['owner="team-B"']
              receiver: team-B
              continue: true
            - matchers: ['owner=~"team-[BC]"']
              receiver: team-BC
              continue: true
              routes:
                - matchers: ['severity="critical"']
                  # no receiver: inherits team-BC
            - matchers: ['owner!~".+"']
              receiver: no-owner
            - matchers: ['group_by="role"']
              receiver: role
              continue: true
            - matchers: ['group_by="role"']
              receiver: role
        receivers:
          - {name: root}
          - {name: team-A}
          - {name: team-A-testing}
          - {name: team-A-production}
          - {name: team-A-prod-regex}
          - {name: team-B}
          - {name: team-BC}
          - {name: no-owner}
          - {name: role}
        """, "routing-test.yml").Route;

    /// <summary>An alert's labels and the receivers (and route paths) it must resolve to.</summary>
    public sealed record RouteCase(string Name, (string Name, string Value)[] Labels, string[] Receivers, string[] Paths)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<RouteCase> Cases() =>
    [
        new("first matching child wins",
            [("owner", "team-A"), ("env", "testing")], ["team-A-testing"], ["route.routes[0].routes[0]"]),
        new("continue on a nested level goes on to the next sibling",
            [("owner", "team-A"), ("env", "production")], ["team-A-production", "team-A-prod-regex"], ["route.routes[0].routes[1]", "route.routes[0].routes[2]"]),
        new("a node none of whose children match is the result",
            [("owner", "team-A"), ("env", "staging")], ["team-A"], ["route.routes[0]"]),
        new("continue at the top level collects every match in order",
            [("owner", "team-B")], ["team-B", "team-BC"], ["route.routes[1]", "route.routes[2]"]),
        new("a child without a receiver inherits its parent's",
            [("owner", "team-C"), ("severity", "critical")], ["team-BC"], ["route.routes[2].routes[0]"]),
        new("a missing label is the empty string for !~",
            [("alertname", "Watchdog")], ["no-owner"], ["route.routes[3]"]),
        new("an empty label value is the same as a missing label",
            [("owner", "")], ["no-owner"], ["route.routes[3]"]),
        new("nothing matches: the root",
            [("owner", "team-Z")], ["root"], ["route"]),
        new("no labels at all",
            [], ["no-owner"], ["route.routes[3]"]),
        new("the same receiver twice is kept twice, as amtool prints it",
            [("owner", "team-Z"), ("group_by", "role")], ["role", "role"], ["route.routes[4]", "route.routes[5]"]),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Match_ReturnsAlertmanagerLeaves_ForEachLabelSet(RouteCase testCase)
    {
        var labels = LabelSet.From(testCase.Labels);

        var matched = RoutingStage.Match(Tree, labels);

        Assert.Equal(testCase.Receivers, RoutingStage.Receivers(Tree, labels));
        Assert.Equal(testCase.Receivers, matched.Select(r => r.Receiver));
        Assert.Equal(testCase.Paths, matched.Select(r => r.Path));
    }

    [Fact]
    public void Match_ReturnsNothing_WhenRootDoesNotMatch()
    {
        var root = new Route("root", [MatcherParser.ParseMatcher("env=\"prod\"")], false, []);

        Assert.Empty(RoutingStage.Match(root, LabelSet.From(("env", "dev"))));
        Assert.Equal(["root"], RoutingStage.Receivers(root, LabelSet.From(("env", "prod"))));
    }

    [Fact]
    public void Match_StopsAtTheFirstMatch_EvenWhenItsChildrenDoNot()
    {
        // A matching child ends the search among its siblings even though it resolves to itself, not to a leaf.
        var child = new Route("child", [MatcherParser.ParseMatcher("a=1")], false, [new Route("grandchild", [MatcherParser.ParseMatcher("b=2")], false, [])]);
        var sibling = new Route("sibling", [MatcherParser.ParseMatcher("a=~.*")], false, []);
        var root = new Route("root", [], false, [child, sibling]);

        Assert.Equal(["child"], RoutingStage.Receivers(root, LabelSet.From(("a", "1"))));
        Assert.Equal(["grandchild"], RoutingStage.Receivers(root, LabelSet.From(("a", "1"), ("b", "2"))));
        Assert.Equal(["sibling"], RoutingStage.Receivers(root, LabelSet.From(("a", "2"))));
    }

    [Fact]
    public void Match_ReturnsTheRouteObjects_FromTheTree()
    {
        var matched = RoutingStage.Match(Tree, LabelSet.From(("owner", "team-A"), ("env", "testing")));

        Assert.Same(Tree.Routes[0].Routes[0], Assert.Single(matched));
    }
}
