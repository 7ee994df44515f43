/**
 * AWS IoT policies: parse documents once ({@link io.mamori.hub.policy.PolicyDocument#parse}) and
 * evaluate requests against them ({@link io.mamori.hub.policy.PolicyEvaluator}), following
 * reference §5 of {@code aws-iot-device-api.md}.
 *
 * <p>Decisions taken where AWS leaves room, and why:
 *
 * <ul>
 *   <li><b>Strict parsing.</b> Anything Mamori would not enforce exactly as AWS does is refused
 *       with {@code <location>: <reason>}: unknown keys, {@code Principal}/{@code NotPrincipal},
 *       unsupported operators (e.g. {@code Numeric*}, {@code Date*}), unknown condition keys and
 *       variables, misspelt {@code iot:} actions, non-ARN resources, wrong JSON types, empty lists,
 *       duplicate JSON keys. A silently ignored condition would widen access.
 *   <li><b>Version.</b> {@code 2012-10-17} is the policy language with variables. {@code
 *       2008-10-17}, and a document without {@code Version} (IAM's default is 2008-10-17), load
 *       only when they contain no {@code ${...}}: there AWS would treat {@code ${...}} as literal
 *       text, which is never what a device policy means.
 *   <li><b>Size.</b> Documents over {@link io.mamori.hub.policy.PolicyDocument#MAX_LENGTH} (20 KB)
 *       are refused; real device policies are far smaller and the cap bounds parser work.
 *   <li><b>Unresolvable variables.</b> A statement with a variable that cannot be substituted (no
 *       attached thing, missing attribute or certificate value, a value over 1024 characters or
 *       containing {@code * $ + ? #}) does not apply, whatever its Effect: AWS and IAM treat Deny
 *       statements the same way, and policies written for AWS must mean the same here. The request
 *       then falls through to the other statements and to default deny.
 *   <li><b>Substitution limits for every variable.</b> §5.4 states the {@code * $ + ? #} and
 *       1024-character limits for certificate variables; Mamori applies them to all variables, so
 *       the §5.3 danger (a client id {@code +} turning {@code topicfilter/my/${iot:ClientId}/t}
 *       into a wildcard filter) cannot happen.
 *   <li><b>Thing variables</b> resolve only when the context's thing is attached to the principal
 *       (§6.3); {@code iot:Connection.Thing.IsAttached} is then {@code "true"}, else {@code
 *       "false"}.
 *   <li><b>Multi-valued keys</b> ({@code iot:Certificate.*.List}, {@code iot:ConnectAttributes})
 *       must be used with {@code ForAllValues:} or {@code ForAnyValue:}; IAM leaves the plain form
 *       ill-defined.
 *   <li><b>Resources</b> are matched as one string against {@code
 *       arn:aws:iot:<region>:<account>:<resource>}, as IAM does ({@code *} may cross {@code :} and
 *       {@code /}); a literal region, account or partition that differs never matches.
 *   <li><b>Per-connection matchers.</b> The broker does not evaluate documents per PUBLISH: a
 *       connection's policies are compiled against its context into a {@link
 *       io.mamori.hub.policy.PolicyMatcher} per action (variables substituted and checked once,
 *       conditions decided, the ARN head matched once), recompiled whenever the policies or the
 *       thing change. This is exact because every variable and condition key describes the
 *       connection, none the request; a key that varied per request would have to be matched per
 *       request instead.
 * </ul>
 */
package io.mamori.hub.policy;
