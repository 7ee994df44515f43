package io.mamori.hub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mamori ca}: the hub's certificate authority. */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = "The hub's certificate authority and manufacturers' registered CAs.",
    subcommands = {
      CaCommand.Cert.class,
      CaChangePassphraseCommand.class,
      CaCertificateCommands.RegistrationCode.class,
      CaCertificateCommands.Register.class,
      CaCertificateCommands.ListCas.class,
      CaCertificateCommands.Show.class,
      CaCertificateCommands.Activate.class,
      CaCertificateCommands.Deactivate.class,
      CaCertificateCommands.Revoke.class,
      CaCertificateCommands.AutoRegistration.class,
      CaJustInTimeCommands.SetTemplate.class,
      CaJustInTimeCommands.SetWebhook.class,
      CaCertificateCommands.Delete.class
    })
final class CaCommand extends GroupCommand {

  /** {@code mamori ca cert}: prints the CA chain PEM devices must trust. */
  @Command(
      name = "cert",
      mixinStandardHelpOptions = true,
      description =
          "Print the PEM of the CA chain that devices must trust (issuing CA, then root).")
  static final class Cert implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      var ca = options.client().get("/api/v1/ca");
      if (json.enabled) {
        options.printJson(ca);
      } else {
        options.out().print(ca.path("chainPem").asText());
        options.out().flush();
      }
      return 0;
    }
  }
}
