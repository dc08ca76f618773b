"""Changes to the action plan, and the reminding of passed review dates, one module each:

* ``status_updates``: the secretariat records a dated government update (status, progress,
  review date) on a recommendation's track (``record_status_update``).
* ``assessments``: the inspectorates' grade of a recommendation in a review, one per review
  (``record_assessment``).
* ``review_dates``: the review date in force (``current_review_date``), and the daily
  reminder of passed ones to policy leads and the secretariat, claimed once per review date
  in the reminder log (``remind_review_dates``, ``ReviewDateChase``, ``review_key``).
* ``review_digests``: what those reminders say: a digest's e-mail context and a
  recommendation's label (registered with reminders.registry by reminder_kinds).
"""
