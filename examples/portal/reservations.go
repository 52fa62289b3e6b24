package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
)

// mappedToSpace reports whether a Mews room is mapped to a Portal space, that is, has a
// door device installed. In this example the devices are on floors 1 to 3; a real Portal
// keeps the mapping in its own database.
func mappedToSpace(room properties.Resource) bool {
	switch room.Floor() {
	case "1", "2", "3":
		return true
	}
	return false
}

// reservationRow is one reservation in the view. Times are in the hotel's time zone.
type reservationRow struct {
	ID, Number, Room, State string
	Arrival, Departure      string
	// PIN says whether a door PIN is stored in Mews, and for when; never its value.
	PIN    string
	HasPIN bool
	// Missing says why the reservation is not in Portal (the guide's FAQ); "" when it is.
	Missing string
}

// reservationsData fills the reservations view.
type reservationsData struct {
	Status    Status
	Sandbox   bool
	Connected bool
	Error     string
	Days      int
	From, To  string
	// Zone names the hotel's time zone, e.g. "Europe/Amsterdam (CET)".
	Zone string
	// Sent names the reservation that just got a PIN.
	Sent            string
	InPortal        []reservationRow
	Missing         []reservationRow
	MappedRoomsHint string
}

// timeLayout shows a time to staff: "Thu 3 Dec 15:00".
const timeLayout = "Mon 2 Jan 15:04"

// dayLayout shows the view's range, with the year: "Thu 3 Dec 2026 15:00".
const dayLayout = "Mon 2 Jan 2006 15:04"

// reservationsPage shows the reservations staying in the next days, in the hotel's time
// zone (from configuration/get), with room and door PIN state, and why those in rooms
// without a Portal space are missing.
func (a *App) reservationsPage(w http.ResponseWriter, r *http.Request) {
	data := reservationsData{Status: a.currentStatus(), Sandbox: a.set.Sandbox != nil, Days: a.set.Days, MappedRoomsHint: "floors 1 to 3", Sent: r.URL.Query().Get("sent")}
	token, ok := a.savedToken()
	if !ok {
		a.render(w, http.StatusOK, "reservations.html", data)
		return
	}
	data.Connected = true
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	from := a.set.Now()
	to := from.AddDate(0, 0, a.set.Days)
	hotel, err := loadHotel(ctx, a.set.Client, token, from, to)
	if err != nil {
		// A rejected token is the Monitor's to confirm (configuration/get decides Broken).
		a.monitor.Report(propertyKey, err)
		a.set.Logger.Warn("loading reservations", "err", err)
		data.Error = "Mews did not answer with the reservations. Check the status on the Apps → Mews page and try again."
		if errors.Is(err, mews.ErrInvalidAuthentication) {
			data.Error = "Mews rejected the saved token. " + adviceBroken
		}
		a.render(w, http.StatusBadGateway, "reservations.html", data)
		return
	}
	loc := hotel.Location
	abbrev, _ := from.In(loc).Zone()
	data.Zone = loc.String() + " (" + abbrev + ")"
	data.From, data.To = from.In(loc).Format(dayLayout), to.In(loc).Format(dayLayout)
	for _, res := range hotel.Reservations {
		row := reservationRow{
			ID:        res.ID,
			Number:    res.Number,
			State:     string(res.State),
			Arrival:   res.Start().In(loc).Format(timeLayout),
			Departure: res.End().In(loc).Format(timeLayout),
			PIN:       "No PIN yet",
		}
		if c, ok := hotel.PINs[res.ID]; ok {
			row.HasPIN = true
			row.PIN = "PIN stored, valid " + c.ValidityStartUtc.In(loc).Format(timeLayout) + " to " + c.ValidityEndUtc.In(loc).Format(timeLayout)
		}
		row.Room, row.Missing = placeInPortal(res, hotel.Rooms)
		if row.Missing != "" {
			data.Missing = append(data.Missing, row)
		} else {
			data.InPortal = append(data.InPortal, row)
		}
	}
	a.render(w, http.StatusOK, "reservations.html", data)
}

// placeInPortal returns the reservation's room and, when the reservation cannot reach
// Portal, why: the guide's "why does the reservation not appear" answers.
func placeInPortal(res reservations.Reservation, rooms map[string]properties.Resource) (room, missing string) {
	if res.AssignedResourceID == nil {
		return "none", "No room is assigned in Mews yet, so there is no device to send it to. It transfers to Portal once a room with a device is assigned."
	}
	r, ok := rooms[*res.AssignedResourceID]
	if !ok {
		return "unknown", "Its room is no longer an active room in Mews. Assign an active room in Mews (unassigning and reassigning the room pushes it again)."
	}
	if !mappedToSpace(r) {
		return r.Name, "Room " + r.Name + " is not mapped to a Portal space (no device installed), so no keychain is generated. Map the room to a space; adding the mapping triggers it. Quick fix afterwards: unassign and reassign the room in Mews."
	}
	return r.Name, ""
}

// randomPIN stands in for the lock system: a random six-digit PIN.
func randomPIN() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// sendPINForm gives a reservation a new door PIN in Mews, as Portal does for a
// reservation in a mapped room, from Settings.IssuePIN. It is shown nowhere: Mews stores it without displaying it, and Portal gives it to the
// guest through its own channel.
func (a *App) sendPINForm(w http.ResponseWriter, r *http.Request) {
	token, ok := a.savedToken()
	if !ok {
		http.Redirect(w, r, "/apps/mews/reservations", http.StatusSeeOther)
		return
	}
	pin, err := a.set.IssuePIN()
	if err != nil {
		a.set.Logger.Error("issuing a PIN", "err", err)
		http.Error(w, "the lock system issued no PIN; try again", http.StatusInternalServerError)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	number := r.PostFormValue("number")
	if err := sendPIN(ctx, a.set.Client, token, r.PathValue("id"), pin); err != nil {
		a.monitor.Report(propertyKey, err)
		a.set.Logger.Warn("sending a PIN", "reservation", number, "err", err)
		http.Error(w, "Mews did not store the PIN; check the status on the Apps › Mews page and try again.", http.StatusBadGateway)
		return
	}
	a.set.Logger.Info("PIN sent", "reservation", number)
	http.Redirect(w, r, "/apps/mews/reservations?sent="+url.QueryEscape(number), http.StatusSeeOther)
}
