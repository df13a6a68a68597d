package ics

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/emersion/go-ical"
)

// Encode writes cal as iCalendar: CRLF line ends, properties in a fixed,
// readable order (UID first in an event), lines folded at 75 octets between
// UTF-8 sequences. Values are written as they are: TEXT must already be
// escaped, as go-ical's setters and this package's builders do.
//
// It replaces go-ical's Encoder, which never folds (a 2 KB DESCRIPTION
// stays one line), orders properties alphabetically and allocates a buffer
// per property: a third of the export time for 10,000 posts.
func Encode(w io.Writer, cal *ical.Calendar) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := &encoder{f: NewFolder(bw)}
	if err := enc.component(cal.Component); err != nil {
		return fmt.Errorf("encode calendar: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// propOrder is the order properties are written in, per component; others
// follow alphabetically.
func propOrder(comp string) []string {
	switch comp {
	case ical.CompCalendar:
		return []string{ical.PropProductID, ical.PropVersion, ical.PropCalendarScale, ical.PropMethod, ical.PropName,
			"X-WR-CALNAME", "X-WR-TIMEZONE", ical.PropRefreshInterval, "X-PUBLISHED-TTL"}
	case ical.CompEvent:
		return []string{ical.PropUID, ical.PropDateTimeStamp, ical.PropDateTimeStart, ical.PropDateTimeEnd, ical.PropDuration,
			ical.PropSummary, ical.PropDescription, ical.PropCategories, ical.PropStatus, ical.PropTransparency, ical.PropURL,
			ical.PropSequence, ical.PropCreated, ical.PropLastModified}
	case ical.CompTimezone:
		return []string{ical.PropTimezoneID}
	case ical.CompTimezoneStandard, ical.CompTimezoneDaylight:
		return []string{ical.PropDateTimeStart, ical.PropTimezoneOffsetFrom, ical.PropTimezoneOffsetTo, ical.PropTimezoneName}
	}
	return nil
}

type encoder struct {
	f    *Folder
	line []byte
	// orders caches propOrder per component name.
	orders map[string][]string
}

func (enc *encoder) component(c *ical.Component) error {
	if err := required(c); err != nil {
		return err
	}
	if err := enc.prop("BEGIN", nil, c.Name); err != nil {
		return err
	}
	if enc.orders == nil {
		enc.orders = map[string][]string{}
	}
	order, ok := enc.orders[c.Name]
	if !ok {
		order = propOrder(c.Name)
		enc.orders[c.Name] = order
	}
	written := 0
	for _, name := range order {
		for i := range c.Props[name] {
			p := &c.Props[name][i]
			if err := enc.prop(p.Name, p.Params, p.Value); err != nil {
				return err
			}
		}
		if _, ok := c.Props[name]; ok {
			written++
		}
	}
	if written < len(c.Props) {
		var rest []string
		for name := range c.Props {
			if !contains(order, name) {
				rest = append(rest, name)
			}
		}
		sort.Strings(rest)
		for _, name := range rest {
			for i := range c.Props[name] {
				p := &c.Props[name][i]
				if err := enc.prop(p.Name, p.Params, p.Value); err != nil {
					return err
				}
			}
		}
	}
	for _, child := range c.Children {
		if err := enc.component(child); err != nil {
			return err
		}
	}
	return enc.prop("END", nil, c.Name)
}

// required checks the properties RFC 5545 makes mandatory in what we write.
func required(c *ical.Component) error {
	var need []string
	switch c.Name {
	case ical.CompCalendar:
		need = []string{ical.PropProductID, ical.PropVersion}
	case ical.CompEvent:
		need = []string{ical.PropUID, ical.PropDateTimeStamp}
	case ical.CompTimezone:
		need = []string{ical.PropTimezoneID}
	case ical.CompTimezoneStandard, ical.CompTimezoneDaylight:
		need = []string{ical.PropDateTimeStart, ical.PropTimezoneOffsetFrom, ical.PropTimezoneOffsetTo}
	}
	for _, n := range need {
		if len(c.Props[n]) != 1 {
			return fmt.Errorf("%s needs exactly one %s, has %d", c.Name, n, len(c.Props[n]))
		}
	}
	if c.Name == ical.CompCalendar && len(c.Children) == 0 {
		return fmt.Errorf("a VCALENDAR needs at least one component")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// prop writes one content line: NAME;PARAM=value:VALUE CRLF.
func (enc *encoder) prop(name string, params ical.Params, value string) error {
	if strings.IndexByte(value, '\n') >= 0 || strings.IndexByte(value, '\r') >= 0 {
		return fmt.Errorf("property %s: the value holds a line break (TEXT must be escaped)", name)
	}
	b := append(enc.line[:0], name...)
	if len(params) > 0 {
		keys := make([]string, 0, len(params))
		for k := range params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b = append(b, ';')
			b = append(b, k...)
			b = append(b, '=')
			for i, v := range params[k] {
				if strings.ContainsAny(v, "\"\r\n") {
					return fmt.Errorf("property %s: parameter %s holds a quote or line break", name, k)
				}
				if i > 0 {
					b = append(b, ',')
				}
				if strings.ContainsAny(v, ";:,") {
					b = append(b, '"')
					b = append(b, v...)
					b = append(b, '"')
				} else {
					b = append(b, v...)
				}
			}
		}
	}
	b = append(b, ':')
	b = append(b, value...)
	b = append(b, '\r', '\n')
	enc.line = b
	_, err := enc.f.Write(b)
	return err
}
