--[[
Cross-references for rendering paper.qmd with plain pandoc (no Quarto).

Quarto numbers figures whose identifier starts with "fig-" and tables whose
identifier starts with "tbl-", and turns @fig-x / @tbl-x into "Figure 1" /
"Table 1" links. This filter does the same, so that the one source renders with
either tool. It must run before --citeproc, which would otherwise treat @fig-x
as a missing citation.
]]

local kinds = { fig = "Figure", tbl = "Table" }
local numbers = {}
local counters = { fig = 0, tbl = 0 }

local function kind_of(id)
  local prefix = id and id:match("^(%a+)%-")
  if prefix and kinds[prefix] then return prefix end
  return nil
end

local function prefix_caption(el)
  local kind = kind_of(el.identifier)
  if not kind then return nil end
  counters[kind] = counters[kind] + 1
  numbers[el.identifier] = counters[kind]
  -- Typst numbers figures and tables itself ("Figure 1:"); HTML needs the label written.
  if FORMAT:match("typst") then return nil end
  local label = pandoc.Inlines({ pandoc.Strong(kinds[kind] .. " " .. counters[kind] .. ":"), pandoc.Space() })
  local long = el.caption.long
  if #long > 0 and (long[1].t == "Plain" or long[1].t == "Para") then
    long[1].content = label .. long[1].content
  else
    el.caption.long = pandoc.Blocks({ pandoc.Plain(label) }) .. long
  end
  return el
end

local function resolve(cite)
  local out = pandoc.Inlines({})
  for i, c in ipairs(cite.citations) do
    local kind = kind_of(c.id)
    if not kind then return nil end
    local n = numbers[c.id]
    if not n then
      io.stderr:write("crossref-fallback: unknown reference @" .. c.id .. "\n")
      error("unresolved cross-reference @" .. c.id)
    end
    if i > 1 then out:insert(pandoc.Str(", ")) end
    -- A no-break space keeps "Figure" and its number on one line.
    out:insert(pandoc.Link(kinds[kind] .. "\u{00A0}" .. n, "#" .. c.id))
  end
  return out
end

return {
  { Figure = prefix_caption, Table = prefix_caption },
  { Cite = resolve },
}
