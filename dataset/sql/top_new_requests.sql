-- Agencies with the most new applications (本年新收, 总计 column).
SELECT r.agency_name, r.year, a.value AS new_requests
FROM applications a JOIN reports r USING (report_id)
WHERE a.row_key = 'new_received' AND a.col_key = 'total' AND NOT a.derived AND r.year = $year
  AND a.value >= $min_volume
ORDER BY new_requests DESC, r.agency_name
LIMIT $limit
