#include <deal.II/base/utilities.h>

#include <deal.II/distributed/shared_tria.h>
#include <deal.II/distributed/grid_refinement.h>
#include <deal.II/distributed/tria.h>

#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_in.h>
#include <deal.II/distributed/solution_transfer.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/grid/grid_refinement.h>

#include <deal.II/lac/affine_constraints.h>

#include <deal.II/numerics/solution_transfer.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/parameters.h>
#include <mollifem/mesh/mesh.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <set>

namespace mollifem
{
  void
  MeshParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Mesh");
    {
      prm.declare_entry(
        "Grid generator",
        "hyper_cube",
        Patterns::Anything(),
        "Name of the deal.II GridGenerator function that makes the coarse "
        "mesh (hyper_cube, hyper_rectangle, subdivided_hyper_rectangle, "
        "hyper_ball, hyper_L, ...). Ignored if a mesh file is given.");
      prm.declare_entry(
        "Grid arguments",
        "0 : 1 : false",
        Patterns::Anything(),
        "Arguments of the grid generator, separated by colons, with the "
        "coordinates of a point separated by commas, for example "
        "'0, 0 : 1, 1 : false' for hyper_rectangle in 2D. Lengths in the "
        "units of the problem.");
      prm.declare_entry(
        "Mesh file",
        "",
        Patterns::Anything(),
        "A coarse mesh file read by deal.II's GridIn (gmsh .msh, UCD .inp, "
        "VTK .vtk, ...), format chosen by the extension. Relative paths are "
        "relative to the working directory. Empty: use the grid generator.");
      prm.declare_entry("Initial global refinement",
                        "4",
                        Patterns::Integer(0, 20),
                        "Number of times every cell of the coarse mesh is "
                        "refined.");
      prm.declare_entry(
        "Local refinement region",
        "0",
        Patterns::Anything(),
        "Expression in x[,y[,z]]: cells whose center makes it positive are "
        "refined 'Local refinement steps' more times after the global "
        "refinement, which leaves hanging nodes at the region's border. "
        "Comparisons give 1 or 0, e.g. '(x-0.5)^2 + (y-0.5)^2 < 0.04'.");
      prm.declare_entry("Local refinement steps",
                        "0",
                        Patterns::Integer(0, 10),
                        "How many times the local refinement region is "
                        "refined.");
      prm.declare_entry(
        "Adaptive refinement steps",
        "0",
        Patterns::Integer(0, 10),
        "How many times the inversion mesh is refined where the observed "
        "field changes fast (at the interfaces of a phase field, at fronts), "
        "once the data exist and before anything is solved on it: in each "
        "step the data are mollified to the nodes of the observed "
        "component's element (radius 'Adaptive refinement radius'), the "
        "Kelly indicator of that field (the jumps of its normal derivative "
        "across faces; per snapshot and experiment, each scaled to norm 1 and "
        "summed) ranks the cells, and the 'Adaptive refinement fraction' "
        "with the largest indicator is refined. The coefficient field lives "
        "on the same mesh and is refined with it. Synthetic data are made "
        "on the global refinement refined 'Observations/Additional "
        "refinement' plus this many times, finer than any adapted cell.");
      prm.declare_entry("Adaptive refinement fraction",
                        "0.3",
                        Patterns::Double(0., 1.),
                        "The fraction of the active cells refined in each "
                        "adaptive refinement step.");
      prm.declare_entry("Adaptive refinement radius",
                        "0.05",
                        Patterns::Double(0.),
                        "Radius of the mollifier (kernel of subsection "
                        "Mollifier, no moment correction) that smooths the "
                        "data for the refinement indicator, in the units of "
                        "the mesh: a few data spacings, below the width of "
                        "the features to be resolved.");
    }
    prm.leave_subsection();
  }



  void
  MeshParameters::parse_parameters(ParameterHandler &prm,
                                           const unsigned int dim)
  {
    prm.enter_subsection("Mesh");
    {
      grid_generator            = Utilities::trim(prm.get("Grid generator"));
      grid_arguments            = prm.get("Grid arguments");
      mesh_file                 = Utilities::trim(prm.get("Mesh file"));
      initial_global_refinement = prm.get_integer("Initial global refinement");
      refinement_region         = prm.get("Local refinement region");
      local_refinement_steps    = prm.get_integer("Local refinement steps");
      adaptive_refinement_steps = prm.get_integer("Adaptive refinement steps");
      adaptive_refinement_fraction =
        prm.get_double("Adaptive refinement fraction");
      adaptive_refinement_radius = prm.get_double("Adaptive refinement radius");
    }
    prm.leave_subsection();

    if (!mesh_file.empty())
      {
        std::ifstream file(mesh_file);
        AssertThrow(file.good(),
                    ExcFile(mesh_file,
                            0,
                            "the mesh file (parameter Mesh/Mesh file) does "
                            "not exist or cannot be read."));
      }
    AssertThrow(adaptive_refinement_steps == 0 ||
                  adaptive_refinement_radius > 0.,
                ExcParameter("Mesh/Adaptive refinement radius",
                             "must be positive for adaptive refinement."));
    AssertThrow(adaptive_refinement_steps == 0 ||
                  adaptive_refinement_fraction > 0.,
                ExcParameter("Mesh/Adaptive refinement fraction",
                             "must be positive for adaptive refinement."));
    // Check the expression now rather than when the mesh is made.
    Parameters::check_expression(refinement_region,
                                 "Mesh/Local refinement region",
                                 dim);
  }



  template <int dim>
  std::unique_ptr<Triangulation<dim>>
  make_triangulation(const MPI_Comm communicator)
  {
    if constexpr (dim == 1)
      return std::make_unique<parallel::shared::Triangulation<dim>>(
        communicator,
        Triangulation<dim>::limit_level_difference_at_vertices,
        /*allow_artificial_cells=*/false,
        parallel::shared::Triangulation<dim>::partition_zorder);
    else
      return std::make_unique<parallel::distributed::Triangulation<dim>>(
        communicator,
        Triangulation<dim>::limit_level_difference_at_vertices);
  }



  template <int dim>
  void
  create_coarse_mesh(const MeshParameters &parameters,
                     Triangulation<dim> &  triangulation)
  {
    if (!parameters.mesh_file.empty())
      {
        try
          {
            GridIn<dim> grid_in(triangulation);
            grid_in.read(parameters.mesh_file);
          }
        catch (const std::exception &exception)
          {
            AssertThrow(false,
                        ExcFile(parameters.mesh_file,
                                0,
                                "the mesh cannot be read as a " +
                                  std::to_string(dim) +
                                  "D mesh: " + user_message(exception)));
          }
        return;
      }

    try
      {
        GridGenerator::generate_from_name_and_arguments(
          triangulation, parameters.grid_generator, parameters.grid_arguments);
      }
    catch (const std::exception &exception)
      {
        AssertThrow(false,
                    ExcParameter("Mesh/Grid generator and Mesh/Grid arguments",
                                 "'" + parameters.grid_generator + "' with "
                                 "arguments '" + parameters.grid_arguments +
                                 "' does not make a " + std::to_string(dim) +
                                 "D mesh: " + user_message(exception)));
      }
  }



  template <int dim>
  void
  create_mesh(const MeshParameters &parameters,
              Triangulation<dim> &  triangulation,
              const unsigned int    additional_global_refinement)
  {
    create_coarse_mesh(parameters, triangulation);
    triangulation.refine_global(parameters.initial_global_refinement +
                                additional_global_refinement);

    if (parameters.local_refinement_steps == 0)
      return;
    const Expression<dim> region(parameters.refinement_region,
                                 "Mesh/Local refinement region");
    for (unsigned int step = 0; step < parameters.local_refinement_steps;
         ++step)
      {
        // A shared triangulation needs the same flags on every rank, and a
        // distributed one ignores flags on cells it does not own: flagging
        // every cell this rank knows serves both.
        for (const auto &cell : triangulation.active_cell_iterators())
          if (!cell->is_artificial() && region.value(cell->center()) > 0.)
            cell->set_refine_flag();
        triangulation.execute_coarsening_and_refinement();
      }
  }



  namespace
  {
    /// Flag (and do not yet refine) the cells refine_largest() refines.
    template <int dim>
    void
    flag_largest(Triangulation<dim> & triangulation,
                 const Vector<float> &indicators,
                 const double         fraction)
    {
      if (auto *distributed =
            dynamic_cast<parallel::distributed::Triangulation<dim> *>(
              &triangulation))
        parallel::distributed::GridRefinement::refine_and_coarsen_fixed_number(
          *distributed, indicators, fraction, 0.);
      else
        {
          // A shared triangulation has every cell on every rank, each rank
          // the indicators of its own: sum them so that all ranks flag
          // alike.
          Vector<float> all(indicators);
          if (auto *shared =
                dynamic_cast<parallel::TriangulationBase<dim> *>(&triangulation))
            {
              for (const auto &cell : triangulation.active_cell_iterators())
                if (!cell->is_locally_owned())
                  all(cell->active_cell_index()) = 0.;
              Utilities::MPI::sum(all, shared->get_communicator(), all);
            }
          GridRefinement::refine_and_coarsen_fixed_number(triangulation,
                                                          all,
                                                          fraction,
                                                          0.);
        }
      triangulation.prepare_coarsening_and_refinement();
    }
  } // namespace



  template <int dim>
  std::pair<Point<dim>, Point<dim>>
  bounding_box(const Triangulation<dim> &triangulation)
  {
    Point<dim> lower, upper;
    for (unsigned int d = 0; d < dim; ++d)
      {
        lower[d] = std::numeric_limits<double>::max();
        upper[d] = -std::numeric_limits<double>::max();
      }
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int v : cell->vertex_indices())
          for (unsigned int d = 0; d < dim; ++d)
            {
              lower[d] = std::min(lower[d], cell->vertex(v)[d]);
              upper[d] = std::max(upper[d], cell->vertex(v)[d]);
            }
    const MPI_Comm communicator = triangulation.get_communicator();
    for (unsigned int d = 0; d < dim; ++d)
      {
        lower[d] = Utilities::MPI::min(lower[d], communicator);
        upper[d] = Utilities::MPI::max(upper[d], communicator);
      }
    return {lower, upper};
  }



  namespace
  {
    /// The CellIds of the active cells of all ranks for which
    /// @p selected(cell) holds, sorted, the same on every rank.
    template <int dim, typename Predicate>
    std::vector<std::string>
    gathered_cell_names(const Triangulation<dim> &triangulation,
                        const Predicate &         selected)
    {
      std::vector<std::string> cells;
      for (const auto &cell : triangulation.active_cell_iterators())
        if (cell->is_locally_owned() && selected(cell))
          cells.push_back(cell->id().to_string());
      if (const auto *parallel =
            dynamic_cast<const parallel::TriangulationBase<dim> *>(&triangulation))
        {
          const auto all =
            Utilities::MPI::all_gather(parallel->get_communicator(), cells);
          cells.clear();
          for (const auto &part : all)
            cells.insert(cells.end(), part.begin(), part.end());
        }
      std::sort(cells.begin(), cells.end());
      return cells;
    }
  } // namespace



  template <int dim>
  std::vector<std::string>
  flagged_cells(const Triangulation<dim> &triangulation)
  {
    return gathered_cell_names(triangulation, [](const auto &cell) {
      return cell->refine_flag_set();
    });
  }



  template <int dim>
  void
  refine_cells(Triangulation<dim> &            triangulation,
               const std::vector<std::string> &cells)
  {
    const std::set<std::string> names(cells.begin(), cells.end());
    for (const auto &cell : triangulation.active_cell_iterators())
      if (!cell->is_artificial() && names.count(cell->id().to_string()) > 0)
        cell->set_refine_flag();
    triangulation.execute_coarsening_and_refinement();
  }



  template <int dim>
  void
  refine_largest(Triangulation<dim> & triangulation,
                 const Vector<float> &indicators,
                 const double         fraction)
  {
    flag_largest(triangulation, indicators, fraction);
    triangulation.execute_coarsening_and_refinement();
  }



  namespace
  {
    /**
     * Refine @p triangulation where @p flag() sets the flags, carrying the
     * fields @p fields of @p fe across (refine_largest() with fields says
     * how).
     */
    template <int dim, typename Flag>
    void
    refine_carrying(Triangulation<dim> &             triangulation,
                    const Flag &                     flag,
                    const FiniteElement<dim> &       fe,
                    const std::vector<LA::Vector *> &fields,
                    std::vector<std::string> *       refined_cells)
    {
      DoFHandler<dim> dofs(triangulation);
      dofs.distribute_dofs(fe);
      for (const LA::Vector *field : fields)
        AssertThrow(field->size() == dofs.n_dofs(),
                    ExcDimensionMismatch(field->size(), dofs.n_dofs()));
      const MPI_Comm communicator = dofs.get_communicator();

      std::vector<LA::Vector> transferred;
      if (dynamic_cast<parallel::distributed::Triangulation<dim> *>(
            &triangulation) != nullptr)
        {
          IndexSet relevant;
          DoFTools::extract_locally_relevant_dofs(dofs, relevant);
          std::vector<LA::Vector>         ghosted;
          std::vector<const LA::Vector *> input;
          for (const LA::Vector *field : fields)
            {
              ghosted.emplace_back(dofs.locally_owned_dofs(),
                                   relevant,
                                   communicator);
              ghosted.back() = *field;
            }
          for (const auto &vector : ghosted)
            input.push_back(&vector);
          parallel::distributed::SolutionTransfer<dim, LA::Vector> transfer(dofs);
          flag();
          if (refined_cells != nullptr)
            *refined_cells = flagged_cells(triangulation);
          transfer.prepare_for_coarsening_and_refinement(input);
          triangulation.execute_coarsening_and_refinement();
          dofs.distribute_dofs(fe);
          std::vector<LA::Vector *> output;
          transferred.resize(fields.size());
          for (auto &vector : transferred)
            {
              vector.reinit(dofs.locally_owned_dofs(), communicator);
              output.push_back(&vector);
            }
          transfer.interpolate(output);
        }
      else
        {
          // Every rank has every cell: transfer the gathered field.
          const IndexSet        all = complete_index_set(dofs.n_dofs());
          std::vector<Vector<double>> input;
          for (const LA::Vector *field : fields)
            {
              LA::Vector gathered(dofs.locally_owned_dofs(), all, communicator);
              gathered = *field;
              input.emplace_back(dofs.n_dofs());
              for (types::global_dof_index i = 0; i < dofs.n_dofs(); ++i)
                input.back()[i] = gathered[i];
            }
          SolutionTransfer<dim, Vector<double>> transfer(dofs);
          flag();
          if (refined_cells != nullptr)
            *refined_cells = flagged_cells(triangulation);
          transfer.prepare_for_coarsening_and_refinement(input);
          triangulation.execute_coarsening_and_refinement();
          dofs.distribute_dofs(fe);
          std::vector<Vector<double>> output(fields.size(),
                                             Vector<double>(dofs.n_dofs()));
          transfer.interpolate(input, output);
          for (const auto &vector : output)
            {
              transferred.emplace_back(dofs.locally_owned_dofs(), communicator);
              for (const auto i : dofs.locally_owned_dofs())
                transferred.back()[i] = vector[i];
              transferred.back().compress(VectorOperation::insert);
            }
        }

      IndexSet relevant;
      DoFTools::extract_locally_relevant_dofs(dofs, relevant);
      AffineConstraints<double> hanging_nodes(relevant);
      DoFTools::make_hanging_node_constraints(dofs, hanging_nodes);
      hanging_nodes.close();
      for (unsigned int f = 0; f < fields.size(); ++f)
        {
          hanging_nodes.distribute(transferred[f]);
          *fields[f] = transferred[f];
        }
    }
  } // namespace



  template <int dim>
  void
  refine_largest(Triangulation<dim> &             triangulation,
                 const Vector<float> &            indicators,
                 const double                     fraction,
                 const FiniteElement<dim> &       fe,
                 const std::vector<LA::Vector *> &fields,
                 std::vector<std::string> *       refined_cells)
  {
    refine_carrying(
      triangulation,
      [&]() { flag_largest(triangulation, indicators, fraction); },
      fe,
      fields,
      refined_cells);
  }



  template <int dim>
  std::vector<std::string>
  active_cell_names(const Triangulation<dim> &triangulation)
  {
    return gathered_cell_names(triangulation,
                               [](const auto &) { return true; });
  }



  template <int dim>
  unsigned int
  lowest_active_level(const Triangulation<dim> &triangulation)
  {
    unsigned int lowest = std::numeric_limits<unsigned int>::max();
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        lowest = std::min<unsigned int>(lowest, cell->level());
    return Utilities::MPI::min(lowest,
                               triangulation.get_communicator());
  }



  namespace
  {
    /// The number of child indices in the CellId string @p id
    /// ("coarse_n:children"): the cell's level.
    unsigned int
    level_of(const std::string &id)
    {
      const auto underscore = id.find('_');
      const auto colon      = id.find(':');
      AssertThrow(underscore != std::string::npos && colon != std::string::npos,
                  ExcMessage("'" + id + "' is not a CellId."));
      return std::stoul(id.substr(underscore + 1, colon - underscore - 1));
    }

    /// The CellId string of the parent of the cell @p id (of level > 0).
    std::string
    parent_of(const std::string &id)
    {
      const unsigned int level = level_of(id);
      Assert(level > 0, ExcInternalError());
      const auto underscore = id.find('_');
      const auto colon      = id.find(':');
      return id.substr(0, underscore + 1) + std::to_string(level - 1) + ':' +
             id.substr(colon + 1, level - 1);
    }
  } // namespace



  template <int dim>
  std::vector<std::string>
  coarser_cells(const std::vector<std::string> &cells)
  {
    std::map<std::string, unsigned int> n_children;
    for (const auto &cell : cells)
      if (level_of(cell) > 0)
        ++n_children[parent_of(cell)];
    std::vector<std::string> coarser;
    for (const auto &cell : cells)
      if (level_of(cell) > 0 &&
          n_children[parent_of(cell)] == GeometryInfo<dim>::max_children_per_cell)
        coarser.push_back(parent_of(cell));
      else
        coarser.push_back(cell);
    std::sort(coarser.begin(), coarser.end());
    coarser.erase(std::unique(coarser.begin(), coarser.end()), coarser.end());
    return coarser;
  }



  template <int dim>
  void
  refine_to(Triangulation<dim> &             triangulation,
            const std::vector<std::string> &cells,
            const FiniteElement<dim> *       fe,
            const std::vector<LA::Vector *> &fields)
  {
    // Every proper ancestor of a target cell is refined, step by step.
    std::set<std::string> ancestors;
    for (const auto &cell : cells)
      for (std::string id = cell; level_of(id) > 0;)
        {
          id = parent_of(id);
          if (!ancestors.insert(id).second)
            break;
        }
    const bool distributed =
      dynamic_cast<parallel::distributed::Triangulation<dim> *>(
        &triangulation) != nullptr;
    const auto flag = [&]() {
      bool any = false;
      for (const auto &cell : triangulation.active_cell_iterators())
        if ((cell->is_locally_owned() || (!distributed && !cell->is_artificial())) &&
            ancestors.count(cell->id().to_string()) > 0)
          {
            cell->set_refine_flag();
            any = true;
          }
      if (const auto *parallel =
            dynamic_cast<const parallel::TriangulationBase<dim> *>(&triangulation))
        any = Utilities::MPI::logical_or(any, parallel->get_communicator());
      return any;
    };
    while (flag())
      {
        if (fe != nullptr)
          refine_carrying(
            triangulation,
            [&]() { triangulation.prepare_coarsening_and_refinement(); },
            *fe,
            fields,
            nullptr);
        else
          triangulation.execute_coarsening_and_refinement();
      }
  }



  template std::unique_ptr<Triangulation<1>>
  make_triangulation<1>(const MPI_Comm);
  template std::unique_ptr<Triangulation<2>>
  make_triangulation<2>(const MPI_Comm);
  template std::unique_ptr<Triangulation<3>>
  make_triangulation<3>(const MPI_Comm);
  template void
  create_mesh<1>(const MeshParameters &, Triangulation<1> &, const unsigned int);
  template void
  create_mesh<2>(const MeshParameters &, Triangulation<2> &, const unsigned int);
  template void
  create_mesh<3>(const MeshParameters &, Triangulation<3> &, const unsigned int);
  template void
  refine_largest<1>(Triangulation<1> &, const Vector<float> &, const double);
  template void
  refine_largest<1>(Triangulation<1> &,
                    const Vector<float> &,
                    const double,
                    const FiniteElement<1> &,
                    const std::vector<LA::Vector *> &,
                    std::vector<std::string> *);
  template std::vector<std::string>
  flagged_cells<1>(const Triangulation<1> &);
  template std::pair<Point<1>, Point<1>>
  bounding_box<1>(const Triangulation<1> &);
  template void
  refine_cells<1>(Triangulation<1> &, const std::vector<std::string> &);
  template std::vector<std::string>
  active_cell_names<1>(const Triangulation<1> &);
  template unsigned int
  lowest_active_level<1>(const Triangulation<1> &);
  template void
  create_coarse_mesh<1>(const MeshParameters &, Triangulation<1> &);
  template std::vector<std::string>
  coarser_cells<1>(const std::vector<std::string> &);
  template void
  refine_to<1>(Triangulation<1> &,
                const std::vector<std::string> &,
                const FiniteElement<1> *,
                const std::vector<LA::Vector *> &);
  template void
  refine_largest<2>(Triangulation<2> &,
                    const Vector<float> &,
                    const double,
                    const FiniteElement<2> &,
                    const std::vector<LA::Vector *> &,
                    std::vector<std::string> *);
  template std::vector<std::string>
  flagged_cells<2>(const Triangulation<2> &);
  template std::pair<Point<2>, Point<2>>
  bounding_box<2>(const Triangulation<2> &);
  template void
  refine_cells<2>(Triangulation<2> &, const std::vector<std::string> &);
  template std::vector<std::string>
  active_cell_names<2>(const Triangulation<2> &);
  template unsigned int
  lowest_active_level<2>(const Triangulation<2> &);
  template void
  create_coarse_mesh<2>(const MeshParameters &, Triangulation<2> &);
  template std::vector<std::string>
  coarser_cells<2>(const std::vector<std::string> &);
  template void
  refine_to<2>(Triangulation<2> &,
                const std::vector<std::string> &,
                const FiniteElement<2> *,
                const std::vector<LA::Vector *> &);
  template void
  refine_largest<3>(Triangulation<3> &,
                    const Vector<float> &,
                    const double,
                    const FiniteElement<3> &,
                    const std::vector<LA::Vector *> &,
                    std::vector<std::string> *);
  template std::vector<std::string>
  flagged_cells<3>(const Triangulation<3> &);
  template std::pair<Point<3>, Point<3>>
  bounding_box<3>(const Triangulation<3> &);
  template void
  refine_cells<3>(Triangulation<3> &, const std::vector<std::string> &);
  template std::vector<std::string>
  active_cell_names<3>(const Triangulation<3> &);
  template unsigned int
  lowest_active_level<3>(const Triangulation<3> &);
  template void
  create_coarse_mesh<3>(const MeshParameters &, Triangulation<3> &);
  template std::vector<std::string>
  coarser_cells<3>(const std::vector<std::string> &);
  template void
  refine_to<3>(Triangulation<3> &,
                const std::vector<std::string> &,
                const FiniteElement<3> *,
                const std::vector<LA::Vector *> &);
  template void
  refine_largest<2>(Triangulation<2> &, const Vector<float> &, const double);
  template void
  refine_largest<3>(Triangulation<3> &, const Vector<float> &, const double);
} // namespace mollifem
