package verify

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed report.html
var reportHTML string

var reportTemplate = template.Must(template.New("report").Parse(reportHTML))

// WriteHTML writes the report as one self-contained HTML page (no scripts,
// no external resources), for a person to archive and open later.
func (r *Report) WriteHTML(w io.Writer) error {
	return reportTemplate.Execute(w, r)
}
