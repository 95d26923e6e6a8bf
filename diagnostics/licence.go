package diagnostics

import (
	"net/http"

	"github.com/idlogs/idlogs/api/apierror"
)

// Licence tiers as Options.Licence names them (tenant.License's values).
const (
	LicenceFree = "Free"
	LicenceP1   = "P1"
	LicenceP2   = "P2"
)

// licensed refuses a setting that routes logs when the tenant's licence
// does not allow it: Entra's diagnostic settings need "a Microsoft Entra
// ID P1 or P2 tenant". Without Options.Licence every tenant may.
//
// Unverified: the ARM error Entra answers a Free tenant's PUT with is not
// documented; the status and code are the plausible ones and the message
// is the one the portal shows such a tenant.
func (r *Registry) licensed() error {
	if r.opts.Licence == nil {
		return nil
	}
	switch l := r.opts.Licence(); l {
	case LicenceP1, LicenceP2:
		return nil
	default:
		if l == "" {
			l = LicenceFree
		}
		return apierror.New(http.StatusForbidden, "LicenseRequired",
			"In order to export activity logs, the tenant needs a Microsoft Entra ID P1 or P2 licence; its licence is %s.", l)
	}
}
