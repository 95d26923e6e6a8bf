package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/idlogs/idlogs/authz"
	"github.com/idlogs/idlogs/server"
	"github.com/idlogs/idlogs/state"
	"github.com/idlogs/idlogs/tenant"
)

// newTenantCmd is "idlogs tenant": the directory of a data directory whose
// server is stopped (the state file takes one process at a time). Changes
// made here are the directory's own and are not in the audit log; with the
// server running, use its Graph API, which records them.
func newTenantCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tenant",
		Short: "Show and change the tenant's directory (server stopped; use the Graph API while it runs)",
	}
	cmd.PersistentFlags().String("data", "idlogs-data", "data directory of the server")
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the tenant id, domain, licence tier and directory counts",
		Args:  cobra.NoArgs,
		RunE: withDir(func(cmd *cobra.Command, d *tenant.Directory, _ []string) error {
			users, err := d.Users()
			if err != nil {
				return err
			}
			sps, err := d.ServicePrincipals()
			if err != nil {
				return err
			}
			groups, err := d.Groups()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "tenant   %s\ndomain   %s\nlicence  %s\nusers    %d\ngroups   %d\nservice principals %d\n",
				d.TenantID(), d.Domain(), d.License(), len(users), len(groups), len(sps))
			return err
		}),
	}
	cmd.AddCommand(show, newTenantUserCmd(), newTenantRoleCmd(), newTenantLicenceCmd())
	return cmd
}

func newTenantUserCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Add and list users"}
	add := &cobra.Command{
		Use:   "add --upn NAME@DOMAIN --name DISPLAYNAME",
		Short: "Add a user; the password is read from the first line of standard input",
		Args:  cobra.NoArgs,
		RunE: withDir(func(cmd *cobra.Command, d *tenant.Directory, _ []string) error {
			f := cmd.Flags()
			upn, _ := f.GetString("upn")
			name, _ := f.GetString("name")
			dept, _ := f.GetString("department")
			country, _ := f.GetString("country")
			line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
			if err != nil && line == "" {
				return errors.New("the password is read from standard input, which is empty")
			}
			u, _, err := d.CreateUser(context.Background(), tenant.Initiator{}, tenant.NewUser{
				UserPrincipalName: upn, DisplayName: name, Department: dept, Country: country, UsageLocation: country,
				Password: strings.TrimRight(line, "\r\n"),
			})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s %s\n", u.ID, u.UserPrincipalName)
			return err
		}),
	}
	add.Flags().String("upn", "", "user principal name (name@ the tenant's domain)")
	add.Flags().String("name", "", "display name")
	add.Flags().String("department", "", "department")
	add.Flags().String("country", "", "country or region code (also the usage location)")
	add.MarkFlagRequired("upn")
	add.MarkFlagRequired("name")
	list := &cobra.Command{
		Use:   "list",
		Short: "List users with their directory roles",
		Args:  cobra.NoArgs,
		RunE: withDir(func(cmd *cobra.Command, d *tenant.Directory, _ []string) error {
			users, err := d.Users()
			if err != nil {
				return err
			}
			for _, u := range users {
				roles, err := roleNames(d, u.ID)
				if err != nil {
					return err
				}
				state := "enabled"
				if !u.AccountEnabled {
					state = "disabled"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s %q %s %s\n", u.ID, u.UserPrincipalName, u.DisplayName, state, roles)
			}
			return nil
		}),
	}
	cmd.AddCommand(add, list)
	return cmd
}

func roleNames(d *tenant.Directory, principalID string) (string, error) {
	ids, err := d.RolesOf(principalID)
	if err != nil {
		return "", err
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		def, _ := tenant.RoleDefinitionByID(id)
		names[i] = strings.ReplaceAll(def.DisplayName, " ", "")
	}
	return "[" + strings.Join(names, ",") + "]", nil
}

func newTenantRoleCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "role", Short: "Assign directory roles, and Azure roles with --scope"}
	assign := &cobra.Command{
		Use:   "assign PRINCIPAL ROLE [--scope SCOPE]",
		Short: "Give a user (id or user principal name) or service principal (object id or app id) a directory role (name or template id), or with --scope an Azure role there",
		Long: `Give a user or service principal a directory role (Global Administrator,
Security Reader, ...), or with --scope an Azure role (Log Analytics Reader,
Log Analytics Contributor, Reader, ...: name or GUID) at that scope: a
resource id, or "workspace" or "subscription" for the default workspace or
the subscription in bootstrap.json. Users of the web UI need an Azure role
that may query the workspace.`,
		Args: cobra.ExactArgs(2),
		RunE: withDB(func(cmd *cobra.Command, db *state.DB, d *tenant.Directory, args []string) error {
			principal, err := principalID(d, args[0])
			if err != nil {
				return err
			}
			if scope, _ := cmd.Flags().GetString("scope"); scope != "" {
				return assignAzureRole(cmd, db, d, principal, args[1], scope)
			}
			role, ok := roleByName(args[1])
			if !ok {
				var known []string
				for _, r := range tenant.RoleDefinitions() {
					known = append(known, strings.ReplaceAll(r.DisplayName, " ", ""))
				}
				return fmt.Errorf("no directory role %q (known: %s)", args[1], strings.Join(known, ", "))
			}
			ra, _, err := d.AssignRole(context.Background(), tenant.Initiator{}, principal, role.ID)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s %s %s\n", ra.ID, principal, role.DisplayName)
			return err
		}),
	}
	assign.Flags().String("scope", "", `assign an Azure role at this scope: a resource id, "workspace" or "subscription"`)
	cmd.AddCommand(assign)
	return cmd
}

// assignAzureRole gives principal the Azure role named role at scope.
func assignAzureRole(cmd *cobra.Command, db *state.DB, d *tenant.Directory, principal, role, scope string) error {
	switch scope {
	case "workspace", "subscription":
		data, _ := cmd.Flags().GetString("data")
		raw, err := os.ReadFile(filepath.Join(data, "bootstrap.json"))
		if err != nil {
			return fmt.Errorf("--scope %s needs bootstrap.json: %w", scope, err)
		}
		var boot server.Bootstrap
		if err := json.Unmarshal(raw, &boot); err != nil {
			return fmt.Errorf("bootstrap.json: %w", err)
		}
		if scope == "workspace" {
			scope = boot.Workspace.ResourceID
		} else {
			scope = "/subscriptions/" + boot.SubscriptionID
		}
	}
	az, err := authz.Open(db)
	if err != nil {
		return err
	}
	var def *authz.RoleDefinition
	var known []string
	for _, r := range az.RoleDefinitions() {
		known = append(known, r.RoleName)
		if strings.EqualFold(r.RoleName, role) || strings.EqualFold(r.Name, role) {
			def = &r
		}
	}
	if def == nil {
		return fmt.Errorf("no Azure role %q (known: %s)", role, strings.Join(known, ", "))
	}
	principalType := "User"
	if _, err := d.User(principal); err != nil {
		principalType = "ServicePrincipal"
	}
	a, _, err := az.Assign(authz.Assignment{
		Name: tenant.NewGUID(), Scope: scope, RoleDefinitionID: def.Name,
		PrincipalID: principal, PrincipalType: principalType, CreatedBy: "idlogs",
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s %s %s at %s\n", a.Name, principal, def.RoleName, a.Scope)
	return err
}

// roleByName finds a built-in role by template id or display name, with
// or without spaces, in any case.
func roleByName(s string) (tenant.RoleDefinition, bool) {
	if r, ok := tenant.RoleDefinitionByID(s); ok {
		return r, true
	}
	want := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	for _, r := range tenant.RoleDefinitions() {
		if strings.ToLower(strings.ReplaceAll(r.DisplayName, " ", "")) == want {
			return r, true
		}
	}
	return tenant.RoleDefinition{}, false
}

// principalID resolves a user (id or UPN) or a service principal (object
// id or app id) to its object id.
func principalID(d *tenant.Directory, s string) (string, error) {
	if u, err := d.User(s); err == nil {
		return u.ID, nil
	}
	if sp, err := d.ServicePrincipal(s); err == nil {
		return sp.ID, nil
	}
	return "", fmt.Errorf("no user or service principal %q", s)
}

func newTenantLicenceCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "licence Free|P1|P2",
		Aliases: []string{"license"},
		Short:   "Set the tenant's Microsoft Entra ID licence tier",
		Args:    cobra.ExactArgs(1),
		RunE: withDir(func(cmd *cobra.Command, d *tenant.Directory, args []string) error {
			_, err := d.SetLicense(context.Background(), tenant.Initiator{}, tenant.License(args[0]))
			return err
		}),
	}
}

// withDir runs f with the directory of --data's state file, which must not
// be open in a running server.
func withDir(f func(cmd *cobra.Command, d *tenant.Directory, args []string) error) func(*cobra.Command, []string) error {
	return withDB(func(cmd *cobra.Command, _ *state.DB, d *tenant.Directory, args []string) error {
		return f(cmd, d, args)
	})
}

// withDB runs f with --data's state file and its directory.
func withDB(f func(cmd *cobra.Command, db *state.DB, d *tenant.Directory, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		data, _ := cmd.Flags().GetString("data")
		path := filepath.Join(data, "state.db")
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no server state in %s (%v): start the server once, or name its --data directory", data, err)
		}
		db, err := state.Open(path)
		if err != nil {
			return fmt.Errorf("%w (is the server running? stop it, or use the Graph API)", err)
		}
		defer db.Close()
		d, err := tenant.Open(db)
		if err != nil {
			return err
		}
		return f(cmd, db, d, args)
	}
}
